package dev.conveyor.internal.consume;

import dev.conveyor.ConsumerSettings;
import dev.conveyor.DeliveryGuarantee;
import dev.conveyor.OrderingMode;
import dev.conveyor.RecordProcessor;
import dev.conveyor.internal.route.OutcomeRouter;
import dev.conveyor.metrics.MetricNames;
import dev.conveyor.retry.RetryHeaders;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.UnreleasedInstanceIdException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind {@link dev.conveyor.TaskConsumer}, in pipeline order: one platform thread owns the
 * Kafka consumer and polls; each record is dispatched to its ordering key ({@link OrderingMode}) and,
 * when its key is free, handled on a virtual thread ({@link RecordHandling}: decode, process, route,
 * write); offsets are committed on an interval up to the lowest unfinished offset per partition, and on
 * revocation ({@link Rebalance}) and shutdown; partitions are paused for backpressure ({@link FlowControl})
 * and until a delayed record is due.
 */
public final class ConsumeLoop<V> implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumeLoop.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(50);
    // how long new records of the partitions still fetching may wait while others are paused
    private static final Duration PARTLY_PAUSED_POLL_INTERVAL = Duration.ofMillis(2);

    private final String name;
    private final List<String> topics;
    private final Consumer<String, byte[]> consumer;
    private final Admin admin;
    private final RecordDecoder<V> decoder;
    private final ConsumerSettings settings;
    private final Clock clock;
    private final OffsetLedger ledger = new OffsetLedger();
    private final KeyedSequencer sequencer = new KeyedSequencer();
    private final OrderingKeys orderingKeys;
    private final FlowControl flow;
    private final IdleWait idle = new IdleWait();
    private final InFlightCounts counts;
    private final HandlerSlots handlerSlots;
    private final ScheduledExecutorService redoTimer;
    private final Set<TopicPartition> assigned = ConcurrentHashMap.newKeySet();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Committer committer;
    private final InFlightRecord.Engine engine;
    private volatile boolean stopping;
    private volatile boolean running;
    private volatile boolean joined;
    private Instant nextCommit;

    public ConsumeLoop(String name, List<String> topics, Consumer<String, byte[]> consumer, Admin admin, Deserializer<V> deserializer,
                       Class<V> valueType, RecordProcessor<V> processor, OutcomeRouter router, ConsumerSettings settings,
                       Supplier<Producer<String, SpecificRecord>> producers, MeterRegistry meters, Clock clock) {
        this.name = name;
        this.topics = List.copyOf(topics);
        this.consumer = consumer;
        this.admin = admin;
        this.decoder = new RecordDecoder<>(name, deserializer, valueType, clock);
        this.settings = settings;
        this.clock = clock;
        this.flow = new FlowControl(settings.maxInFlight(), settings.maxInFlightPerPartition());
        this.orderingKeys = new OrderingKeys(settings);
        this.handlerSlots = new HandlerSlots(settings.maxConcurrency());
        this.redoTimer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, name + "-redo-timer"));
        this.counts = new InFlightCounts(name, flow, idle, meters);
        Gauge.builder(MetricNames.CONSUMER_RUNNING, handlerSlots, HandlerSlots::running).tag(MetricNames.TAG_GROUP, name).register(meters);
        Counter commits = Counter.builder(MetricNames.CONSUMER_COMMITS).tag(MetricNames.TAG_GROUP, name).register(meters);
        this.committer = settings.guarantee() == DeliveryGuarantee.EXACTLY_ONCE
                ? new TransactionalCommitter(name, producers, commits)
                : new AtLeastOnceCommitter(name, producers.get(), commits);
        this.engine = new InFlightRecord.Engine(name, new RecordHandling<>(name, decoder, processor, router), committer, counts,
                handlerSlots, redoTimer, (partition, tracker) -> !stopping && ledger.owns(partition, tracker));
    }

    @Override
    public void run() {
        running = true;
        try {
            LOG.info("{}: joining as INSTANCE_ID '{}'", name, settings.instanceId());
            StaticMembership.removePredecessor(admin, name, settings.instanceId());
            consumer.subscribe(topics, new Rebalance(name, consumer, committer, ledger, flow, assigned, settings.drainTimeout(), clock));
            nextCommit = clock.instant().plus(settings.commitInterval());
            while (!stopping) {
                long mark = idle.mark();
                Pausing pausing = applyFlowControl();
                ConsumerRecords<String, byte[]> records = consumer.poll(pausing.none() ? POLL_TIMEOUT : Duration.ZERO);
                if (!joined) {
                    // the member epoch: positive once the group coordinator accepted the member
                    joined = consumer.groupMetadata().generationId() > 0;
                }
                dispatch(records);
                commitIfDue();
                if (records.isEmpty() && !pausing.none()) {
                    idle.await(mark, idleTime(pausing));
                }
            }
            drain();
        } catch (UnreleasedInstanceIdException | FencedInstanceIdException e) {
            LOG.error("{}: another live instance runs with INSTANCE_ID '{}' and took over its group membership; every running "
                    + "instance needs an INSTANCE_ID of its own. This consumer stops: {}", name, settings.instanceId(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("{}: consumer loop failed", name, e);
        } finally {
            running = false;
            try {
                // after the unsubscribe a static member stays registered until its session expires (a restart under its
                // name takes its partitions back at once); leaving for good would hand them to members that may be stopping too
                consumer.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                        .withTimeout(Duration.ofSeconds(10)));
            } catch (RuntimeException e) {
                LOG.warn("{}: closing the consumer failed", name, e);
            }
            redoTimer.shutdownNow();
            handlerSlots.close();
            committer.close();
            closeDecoder();
            stopped.countDown();
        }
    }

    /**
     * Handlers decode their records, so the decoder (and its registry client) is closed only once nothing
     * is in flight: a handler that outlived the drain timeout may still decode, and a record it could not
     * decode would be dead-lettered.
     */
    private void closeDecoder() {
        if (counts.inFlight() > 0) {
            LOG.warn("{}: {} records still in flight after the drain; their value deserializer stays open", name, counts.inFlight());
            return;
        }
        decoder.close();
    }

    public boolean isRunning() {
        return running;
    }

    /** Running and accepted into its group (a positive member epoch): what readiness means. */
    public boolean isJoined() {
        return running && joined;
    }

    public int inFlight() {
        return counts.inFlight();
    }

    public Set<TopicPartition> assignment() {
        return Set.copyOf(assigned);
    }

    /** Stops fetching, lets in-flight records finish within the drain timeout, commits, leaves the group. */
    public void stop() {
        // no consumer.wakeup(): it would cut short a commit in progress (a revocation's, the drain's); a poll
        // returns within POLL_TIMEOUT anyway, and an idle wait is ended by the wake below
        stopping = true;
        counts.stopping();
        idle.wake();
        try {
            if (!stopped.await(settings.drainTimeout().toMillis() + 15_000, TimeUnit.MILLISECONDS)) {
                LOG.warn("{}: consumer loop did not stop in time", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void dispatch(ConsumerRecords<String, byte[]> records) {
        for (TopicPartition partition : records.partitions()) {
            for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                if (!dispatch(partition, record)) {
                    break;
                }
            }
        }
    }

    /** Returns false when the partition was rewound, so the rest of its batch must not run now. */
    private boolean dispatch(TopicPartition partition, ConsumerRecord<String, byte[]> raw) {
        Instant due = dueTime(raw);
        if (due != null && clock.instant().isBefore(due)) {
            // not yet: wait without a thread and without holding back other partitions
            consumer.seek(partition, raw.offset());
            flow.backOff(partition, due);
            return false;
        }
        PartitionOffsets tracker = ledger.begin(partition, raw.offset());
        counts.dispatched(tracker);
        sequencer.submit(orderingKeys.of(partition, raw), new InFlightRecord(engine, partition, tracker, raw));
        return true;
    }

    private static Instant dueTime(ConsumerRecord<String, byte[]> raw) {
        Header header = raw.headers().lastHeader(RetryHeaders.DUE);
        if (header == null) {
            return null;
        }
        try {
            return Instant.parse(new String(header.value(), StandardCharsets.UTF_8));
        } catch (DateTimeParseException malformed) {
            return null;
        }
    }

    /** What the last flow-control decision paused. */
    private record Pausing(int paused, int owned) {
        boolean none() {
            return paused == 0;
        }

        boolean all() {
            return paused >= owned;
        }
    }

    /**
     * All paused: nothing to poll until finished work lifts a pause (which wakes us), a backoff ends
     * or a commit is due. Partly paused: the others' records are fetched meanwhile, so look soon.
     */
    private Duration idleTime(Pausing pausing) {
        if (!pausing.all()) {
            return PARTLY_PAUSED_POLL_INTERVAL;
        }
        Instant now = clock.instant();
        Instant until = now.plus(POLL_TIMEOUT);
        Instant backoffEnd = flow.nextBackoffEnd().orElse(until);
        if (backoffEnd.isBefore(until)) {
            until = backoffEnd;
        }
        if (nextCommit.isBefore(until)) {
            until = nextCommit;
        }
        return Duration.between(now, until);
    }

    private Pausing applyFlowControl() {
        Set<TopicPartition> owned = consumer.assignment();
        Set<TopicPartition> shouldPause = stopping ? owned
                : flow.pausedAmong(owned, counts.inFlight(), counts.waiting(), ledger::inFlight, ledger::waiting, clock.instant());
        counts.instancePaused(!stopping && flow.instanceFull());
        ledger.markFull(partition -> !stopping && flow.partitionFull(partition));
        Set<TopicPartition> paused = consumer.paused();
        Set<TopicPartition> toResume = new HashSet<>(paused);
        toResume.removeAll(shouldPause);
        Set<TopicPartition> toPause = new HashSet<>(shouldPause);
        toPause.removeAll(paused);
        if (!toPause.isEmpty()) {
            consumer.pause(toPause);
        }
        if (!toResume.isEmpty()) {
            consumer.resume(toResume);
        }
        return new Pausing(shouldPause.size(), owned.size());
    }

    private void commitIfDue() {
        Instant now = clock.instant();
        if (now.isBefore(nextCommit)) {
            return;
        }
        nextCommit = now.plus(settings.commitInterval());
        noteCommits(now);
        rewind(committer.commit(consumer, ledger, ledger.partitions(), false));
    }

    /**
     * One note per commit, shared by every partition but for its paused flag: built per commit, not per
     * record. A stopping instance pauses everything to drain; that is not flow control and is not noted.
     */
    private void noteCommits(Instant now) {
        Set<TopicPartition> paused = stopping ? Set.of() : consumer.paused();
        String flowing = new dev.conveyor.inspect.CommitNote(settings.instanceId(), now, counts.inFlight(), handlerSlots.running(), false).text();
        String held = new dev.conveyor.inspect.CommitNote(settings.instanceId(), now, counts.inFlight(), handlerSlots.running(), true).text();
        ledger.note(partition -> paused.contains(partition) ? held : flowing);
    }

    /** Work of these partitions was finished but its commit failed: read them again from the committed offsets. */
    private void rewind(Collection<TopicPartition> partitions) {
        Set<TopicPartition> owned = new HashSet<>(partitions);
        owned.retainAll(consumer.assignment());
        if (owned.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(owned, Duration.ofSeconds(10));
        for (TopicPartition partition : owned) {
            OffsetAndMetadata offset = committed.get(partition);
            if (offset == null) {
                consumer.seekToBeginning(List.of(partition));
            } else {
                consumer.seek(partition, offset);
            }
        }
        // in-flight work of the forgotten trackers still finishes, but its completion is ignored
        ledger.forget(owned);
        flow.forget(owned);
    }

    private void drain() {
        Instant deadline = clock.instant().plus(settings.drainTimeout());
        LOG.info("{}: draining {} in-flight records", name, counts.inFlight());
        while (counts.inFlight() > 0 && clock.instant().isBefore(deadline)) {
            long mark = idle.mark();
            applyFlowControl();
            // keep polling (all partitions paused) so the group sees us alive while work finishes
            consumer.poll(Duration.ZERO);
            idle.await(mark, POLL_TIMEOUT);
        }
        if (counts.inFlight() > 0) {
            LOG.warn("{}: {} records still in flight after {}; they will be redone by the next owner",
                    name, counts.inFlight(), settings.drainTimeout());
        }
        noteCommits(clock.instant());
        committer.commit(consumer, ledger, consumer.assignment(), true);
        try {
            // leaves the group before close: a rebalance the group started meanwhile needs this thread to run its
            // callbacks, and close alone would give up on them (the client logs "Reconciliation failed")
            consumer.unsubscribe();
        } catch (RuntimeException e) {
            LOG.warn("{}: leaving the group failed; the broker drops the membership when its session expires: {}", name, e.toString());
        }
    }
}
