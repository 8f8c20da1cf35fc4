package dev.conveyor.faults;

import dev.conveyor.schema.TaskResult;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** How many results each task got, and what that means for the guarantees. */
record Outcomes(Map<String, Long> resultsPerTask) {

    static Outcomes of(List<TaskResult> results) {
        return new Outcomes(results.stream().collect(Collectors.groupingBy(TaskResult::getTaskId, Collectors.counting())));
    }

    Set<String> missing(Collection<String> ids) {
        return ids.stream().filter(id -> !resultsPerTask.containsKey(id)).collect(Collectors.toSet());
    }

    /** Results beyond the first, summed over all tasks. */
    long duplicates() {
        return resultsPerTask.values().stream().mapToLong(n -> n - 1).sum();
    }

    boolean covers(Collection<String> ids) {
        return missing(ids).isEmpty();
    }

    static <T> Set<String> ids(Collection<T> items, Function<T, String> id) {
        return items.stream().map(id).collect(Collectors.toSet());
    }
}
