package dev.conveyor.internal.consume;

import dev.conveyor.ConsumerSettings;
import dev.conveyor.DeliveryGuarantee;
import dev.conveyor.Outbox;
import dev.conveyor.metrics.MetricNames;
import dev.conveyor.OrderingMode;
import dev.conveyor.RecordProcessor;
import dev.conveyor.retry.RetryHeaders;
import dev.conveyor.UndecodableRecordHandler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind {@link dev.conveyor.TaskConsumer}: one platform thread owns the Kafka consumer
 * and polls; records run on virtual threads, sequenced by the {@link OrderingMode}; offsets are
 * committed on an interval, up to the lowest unfinished offset per partition, and on revocation and
 * shutdown; partitions are paused for backpressure and backoff.
 */
public final class ConsumeLoop<V> implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumeLoop.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(50);
    // how long new records of the partitions still fetching may wait while others are paused
    private static final Duration PARTLY_PAUSED_POLL_INTERVAL = Duration.ofMillis(2);
    private static final Duration FIRST_RETRY_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_RETRY_BACKOFF = Duration.ofSeconds(30);

    private final String name;
    private final List<String> topics;
    private final Consumer<String, byte[]> consumer;
    private final Deserializer<V> deserializer;
    private final Class<V> valueType;
    private final RecordProcessor<V> processor;
    private final UndecodableRecordHandler undecodable;
    private final ConsumerSettings settings;
    private final Clock clock;
    private final OffsetLedger ledger = new OffsetLedger();
    private final KeyedSequencer sequencer = new KeyedSequencer();
    private final OrderingKeys orderingKeys;
    private final FlowControl flow;
    private final IdleWait idle = new IdleWait();
    private final AtomicInteger inFlight = new AtomicInteger();
    // of inFlight: records whose key's earlier record has not finished, so they cannot start yet
    private final AtomicInteger waitingForKey = new AtomicInteger();
    // of inFlight: records whose handler returned and whose outputs wait for Kafka's acknowledgement
    private final AtomicInteger awaitingAcknowledgement = new AtomicInteger();
    // set by the poll thread: the whole instance is paused, so a completion that lets it resume must wake it
    private volatile boolean instancePaused;
    private final HandlerSlots handlerSlots;
    private final ScheduledExecutorService retries;
    private final Set<TopicPartition> assigned = ConcurrentHashMap.newKeySet();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Committer committer;
    private volatile boolean stopping;
    private volatile boolean running;
    private Instant nextCommit;

    public ConsumeLoop(String name, List<String> topics, Consumer<String, byte[]> consumer, Deserializer<V> deserializer, Class<V> valueType,
                       RecordProcessor<V> processor, UndecodableRecordHandler undecodable, ConsumerSettings settings,
                       Supplier<Producer<String, SpecificRecord>> producers, MeterRegistry meters, Clock clock) {
        this.name = name;
        this.topics = List.copyOf(topics);
        this.consumer = consumer;
        this.deserializer = deserializer;
        this.valueType = valueType;
        this.processor = processor;
        this.undecodable = undecodable;
        this.settings = settings;
        this.clock = clock;
        this.flow = new FlowControl(settings.maxInFlight(), settings.maxInFlightPerPartition());
        this.orderingKeys = new OrderingKeys(settings);
        this.handlerSlots = new HandlerSlots(settings.maxConcurrency());
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, name + "-retry-timer"));
        Gauge.builder(MetricNames.CONSUMER_IN_FLIGHT, inFlight, AtomicInteger::get).tag(MetricNames.TAG_GROUP, name).register(meters);
        Gauge.builder(MetricNames.CONSUMER_RUNNING, handlerSlots, HandlerSlots::running)
                .tag(MetricNames.TAG_GROUP, name).register(meters);
        // with in-flight and running, these tell an operator which limit a backlog is pressing on
        Gauge.builder(MetricNames.CONSUMER_WAITING_FOR_KEY, waitingForKey, AtomicInteger::get).tag(MetricNames.TAG_GROUP, name).register(meters);
        Gauge.builder(MetricNames.CONSUMER_AWAITING_ACKNOWLEDGEMENT, awaitingAcknowledgement, AtomicInteger::get)
                .tag(MetricNames.TAG_GROUP, name).register(meters);
        Counter commits = Counter.builder(MetricNames.CONSUMER_COMMITS).tag(MetricNames.TAG_GROUP, name).register(meters);
        this.committer = settings.guarantee() == DeliveryGuarantee.EXACTLY_ONCE
                ? new TransactionalCommitter(name, producers, commits)
                : new AtLeastOnceCommitter(name, producers.get(), commits);
    }

    @Override
    public void run() {
        running = true;
        try {
            consumer.subscribe(topics, new Rebalance());
            nextCommit = clock.instant().plus(settings.commitInterval());
            while (!stopping) {
                long mark = idle.mark();
                Pausing pausing = applyFlowControl();
                ConsumerRecords<String, byte[]> records;
                try {
                    records = consumer.poll(pausing.none() ? POLL_TIMEOUT : Duration.ZERO);
                } catch (WakeupException wakeup) {
                    continue;
                }
                dispatch(records);
                commitIfDue();
                if (records.isEmpty() && !pausing.none()) {
                    idle.await(mark, idleTime(pausing));
                }
            }
            drain();
        } catch (RuntimeException e) {
            LOG.error("{}: consumer loop failed", name, e);
        } finally {
            running = false;
            try {
                consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(10)));
            } catch (RuntimeException e) {
                LOG.warn("{}: closing the consumer failed", name, e);
            }
            retries.shutdownNow();
            handlerSlots.close();
            committer.close();
            closeDeserializer();
            stopped.countDown();
        }
    }

    /**
     * The deserializer holds a registry client with threads of its own. Handlers decode their records,
     * so it is closed only once nothing is in flight: a handler that outlived the drain timeout may
     * still decode, and a record it could not decode would be dead-lettered.
     */
    private void closeDeserializer() {
        if (inFlight.get() > 0) {
            LOG.warn("{}: {} records still in flight after the drain; their value deserializer stays open", name, inFlight.get());
            return;
        }
        try {
            deserializer.close();
        } catch (RuntimeException e) {
            LOG.warn("{}: closing the value deserializer failed", name, e);
        }
    }

    public boolean isRunning() {
        return running;
    }

    public int inFlight() {
        return inFlight.get();
    }

    public Set<TopicPartition> assignment() {
        return Set.copyOf(assigned);
    }

    /** Stops fetching, lets in-flight records finish within the drain timeout, commits, leaves the group. */
    public void stop() {
        stopping = true;
        consumer.wakeup();
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
        inFlight.incrementAndGet();
        waitingForKey.incrementAndGet();
        tracker.startWaiting();
        sequencer.submit(orderingKeys.of(partition, raw), new InFlightRecord(partition, tracker, raw));
        return true;
    }

    private CompletionStage<?> handle(TopicPartition partition, ConsumerRecord<String, byte[]> raw, Outbox outbox) throws Exception {
        V value;
        try {
            value = decode(partition, raw);
        } catch (UndecodableRecordException poisonPill) {
            LOG.warn("{}: undecodable record {}@{} goes to the dead-letter topic: {}", name, partition, raw.offset(), poisonPill.getMessage());
            return undecodable.handle(raw, poisonPill, outbox);
        }
        return processor.process(new ConsumerRecord<>(raw.topic(), raw.partition(), raw.offset(), raw.timestamp(), raw.timestampType(),
                raw.serializedKeySize(), raw.serializedValueSize(), raw.key(), value, raw.headers(), raw.leaderEpoch()), outbox);
    }

    /**
     * The value, or {@link UndecodableRecordException} when no attempt could ever decode it. An
     * unreachable registry is thrown as it is: the attempt fails and is retried with backoff.
     */
    private V decode(TopicPartition partition, ConsumerRecord<String, byte[]> raw) {
        if (raw.value() == null) {
            throw new UndecodableRecordException(null, null);
        }
        try {
            // the schema id is in the value (Confluent wire format), so the headers are not read: scanning
            // them for Apicurio's encoding header decoded every header key to a String, per record
            Object any = deserializer.deserialize(raw.topic(), raw.value());
            if (!valueType.isInstance(any)) {
                // well-formed, but written with another record's schema: it would fail in every attempt
                throw new IllegalArgumentException("written with the schema of " + describe(any)
                        + ", which cannot be read as " + valueType.getName());
            }
            return valueType.cast(any);
        } catch (RuntimeException e) {
            if (TransientFailures.isTransient(e)) {
                LOG.warn("{}: cannot decode {}@{} yet (schema registry unreachable: {}); retrying", name, partition, raw.offset(),
                        e.getMessage());
                throw e;
            }
            throw new UndecodableRecordException(raw.value(), e);
        }
    }

    private static String describe(Object decoded) {
        if (decoded instanceof org.apache.avro.generic.GenericContainer container) {
            return container.getSchema().getFullName();
        }
        return decoded == null ? "nothing" : decoded.getClass().getName();
    }

    private static Instant dueTime(ConsumerRecord<String, byte[]> raw) {
        org.apache.kafka.common.header.Header header = raw.headers().lastHeader(RetryHeaders.DUE);
        if (header == null) {
            return null;
        }
        try {
            return Instant.parse(new String(header.value(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.time.format.DateTimeParseException malformed) {
            return null;
        }
    }

    private void finished(PartitionOffsets tracker, long offset, List<ProducerRecord<String, SpecificRecord>> held, Throwable failure) {
        int partitionLeft = failure == null ? tracker.complete(offset, held) : tracker.abandon(offset);
        int left = inFlight.decrementAndGet();
        // exactly one completion sees each count, so each crossing of a low watermark wakes the poll thread once; while
        // the instance is paused, so does every completion that lets it resume (records that wait for their key or for an
        // acknowledgement change the count without completing), until the poll thread has resumed
        if (left == flow.instanceLowWatermark() || partitionLeft == flow.partitionLowWatermark() || (stopping && left == 0)) {
            idle.wake();
        } else {
            wakeIfPausedCanResume(tracker, left);
        }
    }

    /** A paused instance, or a partition paused for being full, that may resume wakes the poll thread. */
    private void wakeIfPausedCanResume(PartitionOffsets tracker, int inFlightNow) {
        if ((instancePaused && flow.canResumeInstance(inFlightNow, waiting()))
                || (tracker.isFull() && flow.canResumePartition(tracker.inFlight(), tracker.waiting()))) {
            idle.wake();
        }
    }

    /** Records in flight that need no thread of this instance now: see {@link FlowControl#canResumeInstance}. */
    private int waiting() {
        return waitingForKey.get() + awaitingAcknowledgement.get();
    }

    /**
     * One fetched record from dispatch until its outcome is durable or it is given up: it waits for its
     * key, runs on a handler slot (decoding runs there too, so it spreads over the cores instead of
     * queueing on the poll thread), waits for Kafka to acknowledge its outputs, and is retried with
     * backoff until it succeeds, the partition is no longer ours, or we are shutting down; a failure
     * never lets the offset move past it. One object carries all of it: the futures and continuations
     * that did before were a measured share of the allocation per record, and those of records waiting
     * behind a slow key stayed alive across young collections.
     */
    private final class InFlightRecord implements KeyedSequencer.Sequenced, HandlerSlots.Work, BiConsumer<Object, Throwable> {

        private final TopicPartition partition;
        private final PartitionOffsets tracker;
        private final ConsumerRecord<String, byte[]> raw;
        // written by one attempt before its stage completes, read by that completion: the stage orders them
        private AttemptOutbox outbox;
        private Duration backoff = FIRST_RETRY_BACKOFF;
        // set when the key is ours, taken (set to null) when it is passed on
        private KeyedSequencer.Held key;

        InFlightRecord(TopicPartition partition, PartitionOffsets tracker, ConsumerRecord<String, byte[]> raw) {
            this.partition = partition;
            this.tracker = tracker;
            this.raw = raw;
        }

        /** Its key is free: take a handler slot. */
        @Override
        public void start(KeyedSequencer.Held key) {
            this.key = key;
            waitingForKey.decrementAndGet();
            tracker.stopWaiting();
            handlerSlots.submit(this);
        }

        /** One attempt, on a handler slot; the slot covers the handler only, waiting for Kafka takes no thread. */
        @Override
        public void run() {
            AttemptOutbox attemptOutbox = committer.open();
            CompletionStage<?> stage;
            try {
                stage = handle(partition, raw, attemptOutbox);
            } catch (Exception e) {
                stage = CompletableFuture.failedFuture(e);
            }
            outbox = attemptOutbox;
            // from here until the stage completes the record waits on Kafka, not on this instance: a paused instance
            // may resume for it, as it would when the record finished
            awaitingAcknowledgement.incrementAndGet();
            tracker.startWaiting();
            wakeIfPausedCanResume(tracker, inFlight.get());
            // the key's next record may start once this one's handler has run and its outputs are handed to the
            // producer (which keeps their order), not only once Kafka acknowledged them
            releaseKey();
            stage.whenComplete(this);
        }

        @Override
        public void refused(RejectedExecutionException shuttingDown) {
            releaseKey();
            finished(tracker, raw.offset(), null, shuttingDown);
        }

        /** The attempt's outputs were acknowledged, or it failed. */
        @Override
        public void accept(Object ignored, Throwable failure) {
            awaitingAcknowledgement.decrementAndGet();
            tracker.stopWaiting();
            if (failure == null) {
                finished(tracker, raw.offset(), outbox.held(), null);
            } else if (stopping || !ledger.owns(partition, tracker)) {
                finished(tracker, raw.offset(), null, failure);
            } else {
                LOG.warn("{}: processing a record of {} failed, retrying in {}: {}", name, partition, backoff, failure.toString());
                Duration wait = backoff;
                backoff = backoff.multipliedBy(2).compareTo(MAX_RETRY_BACKOFF) > 0 ? MAX_RETRY_BACKOFF : backoff.multipliedBy(2);
                retries.schedule(() -> handlerSlots.submit(this), wait.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        /** Once, after the first attempt: retries of a record do not hold back the later records of its key. */
        private void releaseKey() {
            if (key != null) {
                KeyedSequencer.Held held = key;
                key = null;
                held.release();
            }
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
                : flow.pausedAmong(owned, inFlight.get(), waiting(), ledger::inFlight, ledger::waiting, clock.instant());
        instancePaused = !stopping && flow.instanceFull();
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
        rewind(committer.commit(consumer, ledger, ledger.partitions(), false));
    }

    private void commitSync(Collection<TopicPartition> partitions) {
        rewind(committer.commit(consumer, ledger, partitions, true));
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
        LOG.info("{}: draining {} in-flight records", name, inFlight.get());
        while (inFlight.get() > 0 && clock.instant().isBefore(deadline)) {
            long mark = idle.mark();
            applyFlowControl();
            try {
                // keep polling (all partitions paused) so the group sees us alive while work finishes
                consumer.poll(Duration.ZERO);
            } catch (WakeupException ignored) {
                // stop() woke us; keep draining
            }
            idle.await(mark, POLL_TIMEOUT);
        }
        if (inFlight.get() > 0) {
            LOG.warn("{}: {} records still in flight after {}; they will be redone by the next owner",
                    name, inFlight.get(), settings.drainTimeout());
        }
        applyFlowControl();
        try {
            // takes a wakeup from stop() that arrived after the last poll, so the final commit is not interrupted
            consumer.poll(Duration.ZERO);
        } catch (WakeupException expected) {
            // that was it
        }
        commitSync(consumer.assignment());
    }

    private void awaitIdle(Collection<TopicPartition> partitions, Instant deadline) {
        while (partitions.stream().anyMatch(p -> ledger.inFlight(p) > 0) && clock.instant().isBefore(deadline)) {
            // completions arrive on worker threads; a millisecond of latency here is nothing next to a rebalance
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        int left = partitions.stream().mapToInt(ledger::inFlight).sum();
        if (left > 0) {
            LOG.warn("{}: {} records of revoked partitions still in flight after {}; the next owner redoes them",
                    name, left, settings.drainTimeout());
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // let their in-flight work finish first: the next owner starts at our commit and would
            // otherwise run it a second time while we are still running it
            awaitIdle(partitions, clock.instant().plus(settings.drainTimeout()));
            // no rewind: if this commit fails, the next owner redoes the work
            committer.commit(consumer, ledger, partitions, true);
            ledger.forget(partitions);
            flow.forget(partitions);
            assigned.removeAll(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned.addAll(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            ledger.forget(partitions);
            flow.forget(partitions);
            assigned.removeAll(partitions);
        }
    }
}
