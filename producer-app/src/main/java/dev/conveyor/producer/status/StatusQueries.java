package dev.conveyor.producer.status;

import dev.conveyor.schema.TaskStatusView;
import dev.conveyor.schema.TaskTypeStats;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Answers status requests from the view, wherever a task's status lives: this instance's own store
 * for the partitions it owns, the owning instance over HTTP for the rest. An answer is never a guess:
 * while the view is not RUNNING, the owner is not known, or a store is not queryable, it is a 503
 * to retry, never a 404 that might be wrong.
 */
final class StatusQueries {

    /** What a task request answers with. */
    enum Document {
        STATUS(StatusJson::status, ""), EVENTS(StatusJson::events, "/events");

        final Function<TaskStatusView, String> render;
        final String path;

        Document(Function<TaskStatusView, String> render, String path) {
            this.render = render;
            this.path = path;
        }
    }

    private final StatusView view;
    private final StatusWaiters waiters;
    private final OwnerForwarder forwarder;
    private final Clock clock;

    StatusQueries(StatusView view, StatusWaiters waiters, OwnerForwarder forwarder, Clock clock) {
        this.view = view;
        this.waiters = waiters;
        this.forwarder = forwarder;
        this.clock = clock;
    }

    /**
     * The task's document; with a {@code wait}, once the task is terminal or when the wait ends,
     * whichever is first. A forwarded request is answered from this instance's store only; a task the
     * asker may not see is answered as unknown.
     */
    CompletableFuture<Reply> task(String id, Document document, Duration wait, Asker asker) {
        Optional<String> unavailable = view.unavailable();
        if (unavailable.isPresent()) {
            return done(Reply.unavailable(unavailable.get()));
        }
        KeyQueryMetadata owner;
        try {
            owner = view.ownerOf(id);
        } catch (StreamsException | IllegalStateException e) {
            return done(Reply.unavailable("the status view cannot tell which instance holds task " + id + " now: " + e.getMessage()));
        }
        if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE) || owner.activeHost().equals(HostInfo.unavailable())) {
            return done(Reply.unavailable("no instance holds the partition of task " + id + " right now"));
        }
        if (owner.activeHost().equals(view.self())) {
            return local(id, owner.partition(), document, wait, asker);
        }
        if (asker.forwarded()) {
            return done(Reply.unavailable("the instance that forwarded this request and this one disagree on who holds task " + id
                    + "; the partition is moving"));
        }
        return forward(owner.activeHost(), "/tasks/" + id + document.path + (wait == null ? "" : "?wait=" + wait.toMillis() + "ms"), wait,
                asker.authorization());
    }

    private CompletableFuture<Reply> local(String id, int partition, Document document, Duration wait, Asker asker) {
        TaskStatusView status;
        try {
            status = read(id, partition);
        } catch (StreamsException e) {
            return done(Reply.unavailable("the store holding task " + id + " is not queryable now: " + e.getMessage()));
        }
        if (wait == null || status != null && (TaskState.terminal(status.getState()) || !visible(status, asker))) {
            return done(render(id, status, document, asker));
        }
        if (!waiters.tryReserve()) {
            return done(Reply.overloaded(waiters.limit()));
        }
        CompletableFuture<TaskStatusView> parked = waiters.await(id, wait);
        // read again: the terminal transition may have been applied between the first read and parking
        try {
            TaskStatusView again = read(id, partition);
            if (again != null && TaskState.terminal(again.getState())) {
                parked.complete(again);
            }
        } catch (StreamsException e) {
            // the deadline answers
        }
        return parked.thenCompose(terminal -> terminal != null ? done(render(id, terminal, document, asker))
                // the wait is over: the current status, from whichever instance holds it now
                : task(id, document, null, asker));
    }

    private CompletableFuture<Reply> forward(HostInfo owner, String pathAndQuery, Duration wait, String authorization) {
        if (wait == null) {
            return forwarder.get(owner, pathAndQuery, Duration.ZERO, authorization);
        }
        if (!waiters.tryReserve()) {
            return done(Reply.overloaded(waiters.limit()));
        }
        return forwarder.get(owner, pathAndQuery, wait, authorization).whenComplete((reply, failure) -> waiters.release());
    }

    /**
     * This instance's part of the aggregate, or (not forwarded) the sum over every instance's. It counts
     * every submitter's tasks: it shows numbers per type, never a task.
     */
    CompletableFuture<Reply> stats(Asker asker) {
        Optional<String> unavailable = view.unavailable();
        if (unavailable.isPresent()) {
            return done(Reply.unavailable(unavailable.get()));
        }
        StatsDocument sum = new StatsDocument();
        List<HostInfo> others = new ArrayList<>();
        try {
            ReadOnlyKeyValueStore<String, TaskTypeStats> local = view.streams().store(
                    StoreQueryParameters.fromNameAndType(StatusTopology.STATS_STORE, QueryableStoreTypes.<String, TaskTypeStats>keyValueStore()));
            try (KeyValueIterator<String, TaskTypeStats> all = local.all()) {
                all.forEachRemaining(entry -> sum.add(entry.value));
            }
            if (!asker.forwarded()) {
                for (StreamsMetadata instance : view.streams().streamsMetadataForStore(StatusTopology.STATS_STORE)) {
                    if (!instance.hostInfo().equals(view.self())) {
                        others.add(instance.hostInfo());
                    }
                }
            }
        } catch (StreamsException | IllegalStateException e) {
            return done(Reply.unavailable("the aggregate is not queryable now: " + e.getMessage()));
        }
        List<CompletableFuture<Reply>> answers = others.stream()
                .map(host -> forwarder.get(host, "/stats", Duration.ZERO, asker.authorization())).toList();
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(all -> {
            for (CompletableFuture<Reply> answer : answers) {
                Reply reply = answer.join();
                if (reply.status() != 200) {
                    return reply.status() == 503 ? reply : Reply.unavailable("an instance holding part of the aggregate answered " + reply.status());
                }
                try {
                    sum.add(StatusJson.MAPPER.readTree(reply.body()));
                } catch (java.io.IOException e) {
                    return Reply.unavailable("an instance holding part of the aggregate answered no JSON: " + e.getMessage());
                }
            }
            return Reply.json(sum.toJson(clock.instant()));
        });
    }

    private TaskStatusView read(String id, int partition) {
        ReadOnlyKeyValueStore<String, TaskStatusView> store = view.streams().store(StoreQueryParameters
                .fromNameAndType(StatusTopology.STATUS_STORE, QueryableStoreTypes.<String, TaskStatusView>keyValueStore())
                .withPartition(partition));
        return store.get(id);
    }

    private static Reply render(String id, TaskStatusView status, Document document, Asker asker) {
        return status == null || !visible(status, asker) ? Reply.notFound(id) : Reply.json(document.render.apply(status));
    }

    private static boolean visible(TaskStatusView status, Asker asker) {
        return asker.maySee().test(status.getSubmitter());
    }

    private static CompletableFuture<Reply> done(Reply reply) {
        return CompletableFuture.completedFuture(reply);
    }
}
