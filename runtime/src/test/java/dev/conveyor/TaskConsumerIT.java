package dev.conveyor;

import dev.conveyor.kafka.ClusterConfig;
import dev.conveyor.kafka.KafkaClients;
import dev.conveyor.kafka.TaskHeaders;
import dev.conveyor.kafka.TopicConfig;
import dev.conveyor.kafka.TopicDescriptor;
import dev.conveyor.kafka.TopicProvisioner;
import dev.conveyor.kafka.TopicReader;
import dev.conveyor.kafka.Topics;
import dev.conveyor.metrics.MetricNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.conveyor.retry.RetrySettings;
import dev.conveyor.retry.RetryTiers;
import dev.conveyor.schema.TaskRequest;
import dev.conveyor.schema.TaskResult;
import dev.conveyor.stack.LocalStack;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The consumer engine against the real broker: key order under concurrency, no head-of-line blocking, commits. */
class TaskConsumerIT {

    private static final RetryTiers<TaskRequest> TASK_TIERS = RetryTiers.forTasks(RetrySettings.defaults());

    static LocalStack stack;
    static KafkaClients clients;
    static Producer<String, TaskRequest> producer;

    @BeforeAll
    static void start() {
        stack = LocalStack.shared();
        clients = KafkaClients.connect(new ClusterConfig(stack.bootstrapServers(), stack.registryUrl()));
        new TopicProvisioner(clients.admin(), new TopicConfig(2, 2, 1, (short) 1, true)).ensure(Topics.ALL);
        producer = clients.producer("engine-test", Map.of());
    }

    @AfterAll
    static void stop() {
        producer.close();
        clients.close();
    }

    @Test
    void sameKeyRunsInSubmissionOrderWhileKeysRunConcurrentlyAndFinishedWorkIsNotRedone() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        int keys = 10;
        int perKey = 30;
        List<TaskRequest> sent = new ArrayList<>();
        for (int seq = 0; seq < perKey; seq++) {
            for (int k = 0; k < keys; k++) {
                sent.add(task(run + "-key-" + k, "{\"seq\":" + seq + "}"));
            }
        }
        for (TaskRequest task : sent) {
            producer.send(new ProducerRecord<>(Topics.TASKS.name(), task.getKey(), task)).get();
        }

        Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
        java.util.Set<String> running = ConcurrentHashMap.newKeySet();
        List<String> overlaps = new java.util.concurrent.CopyOnWriteArrayList<>();
        String group = "engine-order-" + run;
        RecordProcessor<TaskRequest> recorder = record -> {
            TaskRequest task = record.value();
            if (!task.getKey().startsWith(run)) {
                return RecordOutcome.skip();
            }
            if (!running.add(task.getKey())) {
                overlaps.add(task.getKey());
            }
            seen.computeIfAbsent(task.getKey(), k -> Collections.synchronizedList(new ArrayList<>()))
                    .add(Integer.parseInt(task.getPayload().replaceAll("\\D", "")));
            // handler work of random length, so different keys overtake each other
            java.util.concurrent.locks.LockSupport.parkNanos(ThreadLocalRandom.current().nextInt(3_000_000));
            running.remove(task.getKey());
            // the outcome becoming durable later, on another thread, as a Kafka acknowledgement would
            return RecordOutcome.deferred(CompletableFuture.supplyAsync(RecordOutcome::skip,
                    CompletableFuture.delayedExecutor(ThreadLocalRandom.current().nextInt(3), java.util.concurrent.TimeUnit.MILLISECONDS)));
        };
        try (TaskConsumer<TaskRequest> consumer = consumer(group, OrderingMode.KEY, recorder)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> seen.values().stream().mapToInt(List::size).sum() == keys * perKey);
        }
        List<Integer> expected = java.util.stream.IntStream.range(0, perKey).boxed().toList();
        assertThat(seen).hasSize(keys).allSatisfy((key, order) -> assertThat(order).as(key).isEqualTo(expected));
        assertThat(overlaps).as("a key started again before its previous task finished").isEmpty();

        TaskRequest marker = task(run + "-marker", "{}");
        producer.send(new ProducerRecord<>(Topics.TASKS.name(), marker.getKey(), marker)).get();
        List<String> secondRun = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (TaskConsumer<TaskRequest> again = consumer(group, OrderingMode.KEY, record -> {
            if (record.value().getKey().startsWith(run)) {
                secondRun.add(record.value().getKey());
            }
            return RecordOutcome.skip();
        })) {
            await().atMost(Duration.ofSeconds(60)).until(() -> secondRun.contains(marker.getKey()));
        }
        assertThat(secondRun).as("records committed by the first member are not redone").containsExactly(marker.getKey());
    }

    @Test
    void closingAConsumerReleasesTheRegistryClientItDecodedWith() throws Exception {
        // given a record on tasks, sent first: the test's producer keeps a registry client of its own
        String run = UUID.randomUUID().toString().substring(0, 8);
        TaskRequest only = task(run + "-only", "{}");
        producer.send(new ProducerRecord<>(Topics.TASKS.name(), only.getKey(), only)).get();
        java.util.Set<Thread> before = RegistryClientThreads.alive();
        java.util.Set<Thread> ours = new java.util.HashSet<>();
        List<String> finished = new java.util.concurrent.CopyOnWriteArrayList<>();

        // when a consumer decodes it through the registry and is closed
        try (TaskConsumer<TaskRequest> consumer = consumer("engine-close-" + run, OrderingMode.KEY, record -> {
            finished.add(record.value().getKey());
            return RecordOutcome.skip();
        })) {
            await().atMost(Duration.ofSeconds(60)).until(() -> finished.contains(only.getKey()));
            ours.addAll(RegistryClientThreads.startedSince(before));
            assertThat(ours).isNotEmpty();
        }

        // then the threads of the client it decoded with are gone, as are the consumer's others
        await().atMost(Duration.ofSeconds(10)).until(() -> ours.stream().noneMatch(Thread::isAlive));
    }

    @Test
    void aSlowTaskDoesNotHoldBackOtherKeysOfItsPartition() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        CompletableFuture<Void> releaseSlow = new CompletableFuture<>();
        List<String> finished = new java.util.concurrent.CopyOnWriteArrayList<>();
        // one key per partition is not enough: send every key to partition 0 explicitly
        TaskRequest slow = task(run + "-slow", "{}");
        List<TaskRequest> fast = List.of(task(run + "-a", "{}"), task(run + "-b", "{}"), task(run + "-c", "{}"));
        producer.send(new ProducerRecord<>(Topics.TASKS.name(), 0, slow.getKey(), slow)).get();
        for (TaskRequest t : fast) {
            producer.send(new ProducerRecord<>(Topics.TASKS.name(), 0, t.getKey(), t)).get();
        }

        try (TaskConsumer<TaskRequest> consumer = consumer("engine-hol-" + run, OrderingMode.KEY, record -> {
            String key = record.value().getKey();
            if (key.equals(slow.getKey())) {
                return RecordOutcome.deferred(releaseSlow.thenApply(released -> {
                    finished.add(key);
                    return RecordOutcome.skip();
                }));
            }
            finished.add(key);
            return RecordOutcome.skip();
        })) {
            await().atMost(Duration.ofSeconds(60)).until(() -> finished.containsAll(fast.stream().map(TaskRequest::getKey).toList()));
            assertThat(finished).doesNotContain(slow.getKey());
            assertThat(consumer.inFlight()).isPositive();
            releaseSlow.complete(null);
            await().atMost(Duration.ofSeconds(30)).until(() -> finished.contains(slow.getKey()));
        }
    }

    @Test
    void handlersRunAtMostMaxConcurrencyAtOnceWhileMoreRecordsWaitInFlight() throws Exception {
        // given 12 tasks of different keys and an instance that may run 3 handlers but hold 32 records
        String run = UUID.randomUUID().toString().substring(0, 8);
        TopicDescriptor<TaskRequest> topic = new TopicDescriptor<>("engine-slots-" + run, TaskRequest.class, Map.of());
        clients.admin().createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic.name(), 1, (short) 1))).all().get();
        for (int i = 0; i < 12; i++) {
            TaskRequest task = task(run + "-key-" + i, "{}");
            producer.send(new ProducerRecord<>(topic.name(), task.getKey(), task)).get();
        }
        java.util.concurrent.Semaphore release = new java.util.concurrent.Semaphore(0);
        java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger mostRunning = new java.util.concurrent.atomic.AtomicInteger();
        java.util.Set<String> done = ConcurrentHashMap.newKeySet();
        ConsumerSettings settings = new ConsumerSettings(OrderingMode.KEY, Map.of(), 3, 32, 32, Duration.ofMillis(200), Duration.ofSeconds(10),
                DeliveryGuarantee.AT_LEAST_ONCE, ConsumerSettings.randomInstanceId());
        try (TaskConsumer<TaskRequest> consumer = new TaskConsumer<>("engine-slots-" + run, List.of(topic), settings, TASK_TIERS, clients,
                record -> {
                    mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                    try {
                        release.acquire();
                    } finally {
                        running.decrementAndGet();
                    }
                    done.add(record.value().getId());
                    return RecordOutcome.skip();
                },
                clients.meters(), Clock.systemUTC()).start()) {
            // when every task has been taken but the handlers are held
            await().atMost(Duration.ofSeconds(60)).until(() -> consumer.inFlight() == 12 && running.get() >= 3);

            // then only three run, the rest wait for a slot, and each released slot starts the next one
            assertThat(mostRunning.get()).isEqualTo(3);
            release.release(4);
            await().atMost(Duration.ofSeconds(30)).until(() -> done.size() == 4 && running.get() == 3);
            assertThat(mostRunning.get()).isEqualTo(3);
            release.release(100);
            await().atMost(Duration.ofSeconds(30)).until(() -> done.size() == 12 && consumer.inFlight() == 0);
            assertThat(mostRunning.get()).isEqualTo(3);
        }
    }

    @Test
    void aTypeInPartitionOrderRunsOneAtATimeWhileOtherTypesOfItsPartitionRunConcurrently() throws Exception {
        // given one partition holding two "serial" tasks of different keys, then three "parallel" tasks
        // and one without a type header, and ORDERING key with ORDERING_BY_TYPE serial=partition
        String run = UUID.randomUUID().toString().substring(0, 8);
        TopicDescriptor<TaskRequest> topic = new TopicDescriptor<>("engine-bytype-" + run, TaskRequest.class, Map.of());
        clients.admin().createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic.name(), 1, (short) 1))).all().get();
        TopicProvisioner.awaitLeaders(clients.admin(), List.of(topic.name()));
        List<String> typed = List.of("serial", "serial", "parallel", "parallel", "parallel");
        List<TaskRequest> tasks = new ArrayList<>();
        for (int i = 0; i < typed.size(); i++) {
            TaskRequest task = task(run + "-" + typed.get(i) + "-" + i, "{}");
            ProducerRecord<String, TaskRequest> record = new ProducerRecord<>(topic.name(), 0, task.getKey(), task);
            TaskHeaders.putType(record.headers(), typed.get(i));
            producer.send(record).get();
            tasks.add(task);
        }
        TaskRequest untyped = task(run + "-untyped", "{}");
        producer.send(new ProducerRecord<>(topic.name(), 0, untyped.getKey(), untyped)).get();
        CompletableFuture<Void> releaseFirst = new CompletableFuture<>();
        List<String> started = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> finished = new java.util.concurrent.CopyOnWriteArrayList<>();
        ConsumerSettings settings = new ConsumerSettings(OrderingMode.KEY, Map.of("serial", OrderingMode.PARTITION), 16, 64, 64,
                Duration.ofMillis(200), Duration.ofSeconds(10), DeliveryGuarantee.AT_LEAST_ONCE, ConsumerSettings.randomInstanceId());
        try (TaskConsumer<TaskRequest> consumer = new TaskConsumer<>("engine-bytype-" + run, List.of(topic), settings, TASK_TIERS, clients,
                record -> {
                    String key = record.value().getKey();
                    started.add(key);
                    if (key.equals(tasks.get(0).getKey())) {
                        // blocks, as handlers do: the next record of its order starts once the handler returned
                        releaseFirst.join();
                    }
                    finished.add(key);
                    return RecordOutcome.skip();
                },
                clients.meters(), Clock.systemUTC()).start()) {
            // when the first serial task is held (its handler starts on its own thread, possibly after the others ended)
            List<String> others = List.of(tasks.get(2).getKey(), tasks.get(3).getKey(), tasks.get(4).getKey(), untyped.getKey());
            await().atMost(Duration.ofSeconds(60)).until(() -> finished.containsAll(others) && started.contains(tasks.get(0).getKey()));

            // then the other types ran past it, but the second serial task, another key, waits its turn
            assertThat(finished).doesNotContain(tasks.get(0).getKey());
            assertThat(started).doesNotContain(tasks.get(1).getKey());
            releaseFirst.complete(null);
            await().atMost(Duration.ofSeconds(30)).until(() -> finished.contains(tasks.get(1).getKey()));
            assertThat(finished.indexOf(tasks.get(0).getKey())).isLessThan(finished.indexOf(tasks.get(1).getKey()));
        }
    }

    @Test
    void aFullInstanceStopsTakingWorkWithoutSpinningThePollThread() throws Exception {
        // given, on a topic of its own, more tasks than the instance may have in flight, so the rest
        // wait in paused partitions' fetch buffers
        String run = UUID.randomUUID().toString().substring(0, 8);
        TopicDescriptor<TaskRequest> topic = new TopicDescriptor<>("engine-full-" + run, TaskRequest.class, Map.of());
        clients.admin().createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic.name(), 2, (short) 1))).all().get();
        for (int i = 0; i < 40; i++) {
            TaskRequest task = task(run + "-key-" + i, "{}");
            producer.send(new ProducerRecord<>(topic.name(), task.getKey(), task)).get();
        }
        CompletableFuture<Void> release = new CompletableFuture<>();
        java.util.Set<String> done = ConcurrentHashMap.newKeySet();
        ConsumerSettings settings = new ConsumerSettings(OrderingMode.KEY, Map.of(), 8, 8, 4, Duration.ofMillis(200), Duration.ofSeconds(10),
                DeliveryGuarantee.AT_LEAST_ONCE, ConsumerSettings.randomInstanceId());
        String group = "engine-full-" + run;
        try (TaskConsumer<TaskRequest> consumer = new TaskConsumer<>(group, List.of(topic), settings, TASK_TIERS, clients,
                record -> RecordOutcome.deferred(release.thenApply(released -> {
                    done.add(record.value().getId());
                    return RecordOutcome.skip();
                })),
                clients.meters(), Clock.systemUTC()).start()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> consumer.inFlight() >= 8);
            int full = consumer.inFlight();
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long pollThread = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals(group + "-poll")).findFirst().orElseThrow().threadId();
            long cpuBefore = threads.getThreadCpuTime(pollThread);
            long wallBefore = System.nanoTime();

            // when it stays full for two seconds
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> consumer.inFlight() == full);

            // then it took no more work (a poll brings at most a quarter of the limit) and its poll
            // thread mostly slept: Kafka 4.3's poll spins while partitions with buffered records are paused
            double busy = (double) (threads.getThreadCpuTime(pollThread) - cpuBefore) / (System.nanoTime() - wallBefore);
            assertThat(full).isLessThan(8 + TaskConsumer.maxPollRecords(8));
            assertThat(busy).as("share of the window the poll thread was on a CPU").isLessThan(0.1);
            release.complete(null);
            await().atMost(Duration.ofSeconds(60)).until(() -> done.size() == 40);
        }
    }

    private double gauge(String name, String group) {
        return clients.meters().get(name).tag(MetricNames.TAG_GROUP, group).gauge().value();
    }

    private TopicDescriptor<TaskRequest> onePartitionTopic(String name) throws Exception {
        clients.admin().createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(name, 1, (short) 1))).all().get();
        return new TopicDescriptor<>(name, TaskRequest.class, Map.of());
    }

    /** Produces {@code count} tasks, the i-th with key {@code keyOf(i)}, one acknowledged before the next; returns their ids. */
    private List<String> produce(TopicDescriptor<TaskRequest> topic, int count, java.util.function.IntFunction<String> keyOf) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            TaskRequest task = task(keyOf.apply(i), "{}");
            ids.add(task.getId());
            producer.send(new ProducerRecord<>(topic.name(), task.getKey(), task)).get();
        }
        return ids;
    }

    @Test
    void anInstanceFullOfRecordsWaitingBehindOneSlowKeyKeepsTakingOtherKeysWork() throws Exception {
        // given, on one partition, a slow task, 14 more tasks of its key, then 30 tasks of other keys,
        // and an instance that may hold 20 records: the slow key's 15 are more than half of that
        String run = UUID.randomUUID().toString().substring(0, 8);
        TopicDescriptor<TaskRequest> topic = onePartitionTopic("engine-parked-" + run);
        SlowKey slow = slowKeyOf15(topic, run + "-hot");
        produce(topic, 30, i -> run + "-other-" + i);
        try (TaskConsumer<TaskRequest> consumer = keyOrdered("engine-parked-" + run, topic, 8, 20, 1000, slow.handler(null, null))) {
            // when the slow task is held
            // then every other key's task still runs: the instance resumes although 15 records stay in flight,
            // since 14 of them wait for their key and could not run however long it waited
            await().atMost(Duration.ofSeconds(60)).until(() -> slow.othersDone().size() == 30);
            assertThat(slow.done()).isEmpty();
            await().atMost(Duration.ofSeconds(10)).until(() -> consumer.inFlight() == 15);
            await().atMost(Duration.ofSeconds(10)).until(() -> gauge(MetricNames.CONSUMER_WAITING_FOR_KEY, "engine-parked-" + run) == 14);

            // and once it ends, its key's tasks run in submission order
            slow.releaseAndAwaitInOrder(consumer);
        }
    }

    @Test
    void aPartitionFullOfRecordsWaitingBehindOneSlowKeyKeepsTakingOtherKeysWork() throws Exception {
        // given, on one partition that may hold 20 records (the instance 1,000), a slow task, 14 more tasks of
        // its key and 10 tasks of other keys, all held: 25 in flight, so the partition pauses
        String run = UUID.randomUUID().toString().substring(0, 8);
        TopicDescriptor<TaskRequest> topic = onePartitionTopic("engine-partition-parked-" + run);
        SlowKey slow = slowKeyOf15(topic, run + "-hot");
        produce(topic, 10, i -> run + "-held-" + i);
        CompletableFuture<Void> releaseHeld = new CompletableFuture<>();
        String group = "engine-partition-parked-" + run;
        try (TaskConsumer<TaskRequest> consumer = keyOrdered(group, topic, 16, 1000, 20, slow.handler(run + "-held-", releaseHeld))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> consumer.inFlight() == 25);

            // when the 10 others finish, leaving the slow task and the 14 waiting for it in flight, and 30 more
            // tasks of other keys arrive
            releaseHeld.complete(null);
            await().atMost(Duration.ofSeconds(10)).until(() -> slow.othersDone().size() == 10 && consumer.inFlight() == 15);
            await().atMost(Duration.ofSeconds(10)).until(() -> gauge(MetricNames.CONSUMER_WAITING_FOR_KEY, group) == 14);
            produce(topic, 30, i -> run + "-later-" + i);

            // then they run: the partition resumes although 15 of its records stay in flight, above its low
            // watermark of 10, since 14 of them wait for their key and could not run however long it stayed paused
            await().atMost(Duration.ofSeconds(30)).until(() -> slow.othersDone().size() == 40);
            assertThat(slow.done()).isEmpty();

            // and once the slow task ends, its key's tasks run in submission order
            slow.releaseAndAwaitInOrder(consumer);
        }
    }

    /** Writes 15 tasks of {@code key}: the first is to be the slow one. */
    private SlowKey slowKeyOf15(TopicDescriptor<TaskRequest> topic, String key) throws Exception {
        return SlowKey.of(key, produce(topic, 15, i -> key));
    }

    /** A started consumer in {@code key} order with these limits, dropping undecodable records. */
    private static TaskConsumer<TaskRequest> keyOrdered(String group, TopicDescriptor<TaskRequest> topic, int concurrency, int maxInFlight,
                                                        int maxPerPartition, dev.conveyor.RecordProcessor<TaskRequest> handler) {
        ConsumerSettings settings = new ConsumerSettings(OrderingMode.KEY, Map.of(), concurrency, maxInFlight, maxPerPartition,
                Duration.ofMillis(200), Duration.ofSeconds(10), DeliveryGuarantee.AT_LEAST_ONCE, ConsumerSettings.randomInstanceId());
        return new TaskConsumer<>(group, List.of(topic), settings, TASK_TIERS, clients, handler, clients.meters(), Clock.systemUTC()).start();
    }

    /**
     * One slow key: its first task's handler blocks, as a slow call would, until released, and holds the
     * rest of its key behind it. Other keys' tasks finish at once, or once {@code releaseHeld} completes
     * if their key starts with {@code heldPrefix}.
     */
    private record SlowKey(String key, List<String> ids, CompletableFuture<Void> release, List<String> done,
                           java.util.Set<String> othersDone) {

        static SlowKey of(String key, List<String> ids) {
            return new SlowKey(key, ids, new CompletableFuture<>(), new java.util.concurrent.CopyOnWriteArrayList<>(),
                    ConcurrentHashMap.newKeySet());
        }

        dev.conveyor.RecordProcessor<TaskRequest> handler(String heldPrefix, CompletableFuture<Void> releaseHeld) {
            return record -> {
                TaskRequest task = record.value();
                if (!task.getKey().equals(key)) {
                    if (heldPrefix != null && task.getKey().startsWith(heldPrefix)) {
                        releaseHeld.join();
                    }
                    othersDone.add(task.getId());
                    return RecordOutcome.skip();
                }
                if (task.getId().equals(ids.get(0))) {
                    release.join();
                }
                done.add(task.getId());
                return RecordOutcome.skip();
            };
        }

        void releaseAndAwaitInOrder(TaskConsumer<TaskRequest> consumer) {
            release.complete(null);
            await().atMost(Duration.ofSeconds(30)).until(() -> done.size() == ids.size() && consumer.inFlight() == 0);
            assertThat(done).containsExactlyElementsOf(ids);
        }
    }

    @Test
    void anInstanceFullOfRecordsAwaitingKafkasAcknowledgementKeepsTakingWork() throws Exception {
        // given, on one partition, 15 tasks whose outputs Kafka does not acknowledge yet (their handlers
        // return a stage that stays open), then 30 more, and an instance that may hold 20 records
        String run = UUID.randomUUID().toString().substring(0, 8);
        TopicDescriptor<TaskRequest> topic = onePartitionTopic("engine-unacked-" + run);
        java.util.Set<String> unacked = java.util.Set.copyOf(produce(topic, 15, i -> run + "-unacked-" + i));
        produce(topic, 30, i -> run + "-other-" + i);
        CompletableFuture<Void> acknowledgement = new CompletableFuture<>();
        java.util.Set<String> handled = ConcurrentHashMap.newKeySet();
        try (TaskConsumer<TaskRequest> consumer = keyOrdered("engine-unacked-" + run, topic, 8, 20, 1000, record -> {
            handled.add(record.value().getId());
            return unacked.contains(record.value().getId())
                    ? RecordOutcome.deferred(acknowledgement.thenApply(acknowledged -> RecordOutcome.skip())) : RecordOutcome.skip();
        })) {
            // when the 15 stay unacknowledged
            // then the other 30 are still taken and handled: 15 of 20 stay in flight, above the low watermark of 10,
            // but none of them needs the instance's threads, so pausing longer would not free it sooner
            await().atMost(Duration.ofSeconds(60)).until(() -> handled.size() == 45);
            await().atMost(Duration.ofSeconds(10)).until(() -> consumer.inFlight() == 15);
            await().atMost(Duration.ofSeconds(10)).until(() -> gauge(MetricNames.CONSUMER_AWAITING_ACKNOWLEDGEMENT, "engine-unacked-" + run) == 15);
            assertThat(gauge(MetricNames.CONSUMER_WAITING_FOR_KEY, "engine-unacked-" + run)).isZero();

            // and once Kafka acknowledges, they finish too
            acknowledgement.complete(null);
            await().atMost(Duration.ofSeconds(30)).until(() -> consumer.inFlight() == 0);
        }
    }

    @Test
    void underExactlyOnceOutputsCommitWithTheirOffsetsAndAFailedAttemptLeavesNothingBehind() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        int count = 200;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            TaskRequest task = task(run + "-key-" + (i % 7), "{\"seq\":" + i + "}");
            ids.add(task.getId());
            producer.send(new ProducerRecord<>(Topics.TASKS.name(), task.getKey(), task)).get();
        }
        java.util.Set<String> failedOnce = ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicInteger finished = new java.util.concurrent.atomic.AtomicInteger();
        RecordProcessor<TaskRequest> echo = record -> {
            TaskRequest task = record.value();
            if (!task.getKey().startsWith(run)) {
                return RecordOutcome.skip();
            }
            RecordOutcome result = RecordOutcome.result(resultOf(task));
            // every fifth task's first attempt fails after its result was made: no trace of it may remain
            if (task.getPayload().hashCode() % 5 == 0 && failedOnce.add(task.getId())) {
                throw new IllegalStateException("first attempt of " + task.getId() + " fails");
            }
            finished.incrementAndGet();
            return result;
        };
        ConsumerSettings settings = new ConsumerSettings(OrderingMode.KEY, Map.of(), 64, 64, 32, Duration.ofMillis(100), Duration.ofSeconds(10),
                DeliveryGuarantee.EXACTLY_ONCE, ConsumerSettings.randomInstanceId());
        try (TaskConsumer<TaskRequest> consumer = new TaskConsumer<>("engine-eos-" + run, Topics.TASKS, settings, TASK_TIERS, clients, echo,
                clients.meters(), Clock.systemUTC()).start()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> finished.get() == count);
        }

        Map<String, Long> copies;
        java.util.Set<String> ours = java.util.Set.copyOf(ids);
        try (org.apache.kafka.common.serialization.Deserializer<TaskResult> decoder = clients.valueDeserializer(Topics.RESULTS)) {
            copies = TopicReader.read(stack.bootstrapServers(), Topics.RESULTS.name()).stream()
                    .map(r -> decoder.deserialize(Topics.RESULTS.name(), r.value()).getTaskId())
                    .filter(ours::contains)
                    .collect(java.util.stream.Collectors.groupingBy(id -> id, java.util.stream.Collectors.counting()));
        }
        assertThat(failedOnce).isNotEmpty();
        assertThat(copies.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(copies.values()).as("a read_committed reader sees each output once").containsOnly(1L);
    }

    static TaskResult resultOf(TaskRequest task) {
        return TaskResult.newBuilder().setTaskId(task.getId()).setType(task.getType()).setKey(task.getKey())
                .setStatus(dev.conveyor.schema.TaskStatus.SUCCEEDED).setAttempts(task.getAttempt()).setOutput(null).setError(null)
                .setReason(null).setSubmittedAt(task.getSubmittedAt()).setStartedAt(Instant.now()).setCompletedAt(Instant.now())
                .setCallbackUrl(null).setHeaders(Map.of()).build();
    }

    static TaskConsumer<TaskRequest> consumer(String group, OrderingMode ordering, RecordProcessor<TaskRequest> processor) {
        ConsumerSettings settings = new ConsumerSettings(ordering, Map.of(), 64, 64, 32, Duration.ofMillis(200), Duration.ofSeconds(10),
                DeliveryGuarantee.AT_LEAST_ONCE, ConsumerSettings.randomInstanceId());
        return new TaskConsumer<>(group, Topics.TASKS, settings, TASK_TIERS, clients, processor,
                clients.meters(), Clock.systemUTC()).start();
    }

    static TaskRequest task(String key, String payload) {
        return TaskRequest.newBuilder().setId(UUID.randomUUID().toString()).setType("test").setKey(key).setPayload(payload)
                .setSubmittedAt(Instant.now()).setAttempt(1).setMaxAttempts(5).setCallbackUrl(null).setHeaders(Map.of()).build();
    }
}
