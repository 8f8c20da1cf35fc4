package dev.conveyor.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskSubmissionTest {

    @Test
    void givenEveryShortStringOverTheTypeAlphabetThenTheLoopAgreesWithThePattern() {
        // given every string of up to five characters over letters, a digit, each separator and an upper-case letter
        List<String> candidates = new ArrayList<>(List.of(""));
        List<String> shorter = List.of("");
        for (int length = 1; length <= 5; length++) {
            List<String> longer = new ArrayList<>();
            for (String prefix : shorter) {
                for (char c : "az0._-A".toCharArray()) {
                    longer.add(prefix + c);
                }
            }
            candidates.addAll(longer);
            shorter = longer;
        }

        // when / then
        assertThat(candidates).hasSize(19_608).allSatisfy(candidate -> assertThat(dev.conveyor.kafka.TaskRecords.isTaskType(candidate))
                .as(candidate).isEqualTo(dev.conveyor.kafka.TaskRecords.TYPE_PATTERN.matcher(candidate).matches()));
    }

    @Test
    void givenATypeWithDoubledSeparatorsThenTheSubmissionIsRefusedNamingTheField() {
        assertThatThrownBy(() -> new TaskSubmission("email..send", null, "{}", null, null, null, null, null, null))
                .isInstanceOf(InvalidTaskException.class)
                .satisfies(e -> assertThat(((InvalidTaskException) e).field()).isEqualTo("type"));
    }
}
