package dev.conveyor.producer;

import dev.conveyor.events.EventSettings;
import dev.conveyor.events.EventWriter;
import dev.conveyor.events.TaskEvents;
import dev.conveyor.metrics.MetricNames;
import org.apache.avro.specific.SpecificRecord;
import dev.conveyor.kafka.Sends;
import dev.conveyor.kafka.Topics;
import dev.conveyor.schema.TaskRequest;
import dev.conveyor.trace.Traceparent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Submits tasks straight to Kafka from a JVM service, with the same contract as
 * {@code POST /tasks}: validated, given a time-ordered UUID ({@link TaskIds}), keyed by the task key (else the id), written with
 * {@code acks=all} and idempotence, in the caller's trace ({@link TaskSubmission#traceparent}) or a new one.
 * Thread-safe; share one per service.
 */
public final class TaskClient implements AutoCloseable {

    private final Producer<String, TaskRequest> producer;
    private final int maxPayloadBytes;
    private final Clock clock;
    private final MeterRegistry meters;
    private final java.util.Map<String, Counter> submittedByType = new java.util.concurrent.ConcurrentHashMap<>();
    private final dev.conveyor.retry.DelayedTasks delayed;
    private final IdempotentSubmitter idempotent;
    private final Duration idempotentTimeout;
    private final java.util.concurrent.ExecutorService idempotentCalls = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
    private final TaskEvents events;
    private final EventWriter eventWriter;
    private final dev.conveyor.retry.RetrySettings tiers;
    private final StatusViewClient statusView;
    private final boolean ownsProducer;

    public TaskClient(Producer<String, TaskRequest> producer, int maxPayloadBytes, Clock clock, MeterRegistry meters) {
        this(producer, maxPayloadBytes, clock, meters, dev.conveyor.retry.RetrySettings.defaults());
    }

    /** @param tiers the delay tiers delayed tasks wait in: the processor's {@code RETRY_TIERS} */
    public TaskClient(Producer<String, TaskRequest> producer, int maxPayloadBytes, Clock clock, MeterRegistry meters,
                      dev.conveyor.retry.RetrySettings tiers) {
        this(producer, maxPayloadBytes, clock, meters, tiers, new TaskEvents(EventSettings.defaults(), null, clock));
    }

    /** @param events the {@code QUEUED} events it writes for the status view ({@link TaskEvents#off()} for none) */
    public TaskClient(Producer<String, TaskRequest> producer, int maxPayloadBytes, Clock clock, MeterRegistry meters,
                      dev.conveyor.retry.RetrySettings tiers, TaskEvents events) {
        this(producer, maxPayloadBytes, clock, meters, tiers, null, null, events, null);
    }

    private TaskClient(Producer<String, TaskRequest> producer, int maxPayloadBytes, Clock clock, MeterRegistry meters,
                       dev.conveyor.retry.RetrySettings tiers, IdempotentSubmitter idempotent, Duration idempotentTimeout,
                       TaskEvents events, StatusViewClient statusView) {
        this(producer, maxPayloadBytes, clock, meters, tiers, idempotent, idempotentTimeout, events, statusView, false);
    }

    private TaskClient(Producer<String, TaskRequest> producer, int maxPayloadBytes, Clock clock, MeterRegistry meters,
                       dev.conveyor.retry.RetrySettings tiers, IdempotentSubmitter idempotent, Duration idempotentTimeout,
                       TaskEvents events, StatusViewClient statusView, boolean ownsProducer) {
        this.ownsProducer = ownsProducer;
        this.tiers = tiers;
        this.statusView = statusView;
        this.events = events;
        // one producer for tasks and their events: its Avro serializer writes any record
        @SuppressWarnings({"unchecked", "rawtypes"})
        Producer<String, SpecificRecord> anyRecord = (Producer) producer;
        this.eventWriter = new EventWriter(anyRecord, meters);
        this.idempotent = idempotent;
        this.idempotentTimeout = idempotentTimeout;
        this.delayed = new dev.conveyor.retry.DelayedTasks(tiers, clock);
        this.producer = producer;
        this.maxPayloadBytes = maxPayloadBytes;
        this.clock = clock;
        this.meters = meters;
    }

    /** How long {@link #connect}'s client waits for Kafka and for an idempotency verdict per submission. */
    public static final Duration DEFAULT_SUBMIT_TIMEOUT = Duration.ofSeconds(10);

    /**
     * The client to use: every submission carries an idempotency key ({@link TaskSubmission#of} draws one,
     * {@link TaskSubmission#withIdempotencyKey} sets yours), so submitting the same {@link TaskSubmission}
     * again after a timeout or a {@link SubmissionFailedException} returns the first attempt's task id and
     * the task runs once. It reads {@code tasks.idempotency} ({@link #withIdempotency}) with the defaults
     * the gateway uses (keys kept {@link ProducerAppConfig#DEFAULT_IDEMPOTENCY_RETENTION}, payloads up to
     * {@link ProducerAppConfig#DEFAULT_MAX_PAYLOAD_BYTES}, the default delay tiers) and owns its producer: {@link #close()} closes it.
     *
     * @param instanceId unique among running submitters (a pod name): it names the transactional id
     */
    public static TaskClient connect(dev.conveyor.kafka.KafkaClients clients, String instanceId) {
        Producer<String, TaskRequest> producer = clients.producer("conveyor-task-client-" + instanceId, java.util.Map.of());
        try {
            return withIdempotency(clients, producer, ProducerAppConfig.DEFAULT_MAX_PAYLOAD_BYTES, Clock.systemUTC(),
                    dev.conveyor.retry.RetrySettings.defaults(), ProducerAppConfig.DEFAULT_IDEMPOTENCY_RETENTION, instanceId,
                    DEFAULT_SUBMIT_TIMEOUT, true);
        } catch (RuntimeException e) {
            producer.close(java.time.Duration.ZERO);
            throw e;
        }
    }

    /**
     * A client that also accepts idempotency keys: it reads {@code tasks.idempotency} (every instance
     * reads all of it) and writes each keyed submission in a transaction with the transactional id
     * {@code conveyor-producer-<instanceId>}; give every running instance its own {@code instanceId}.
     * The topic must exist: the producer and processor apps create it.
     *
     * @param retention how long a key keeps returning the same task
     * @param timeout   longest a keyed submission waits for Kafka and for the verdict
     */
    public static TaskClient withIdempotency(dev.conveyor.kafka.KafkaClients clients, Producer<String, TaskRequest> producer,
                                             int maxPayloadBytes, Clock clock, dev.conveyor.retry.RetrySettings tiers,
                                             Duration retention, String instanceId, Duration timeout) {
        return withIdempotency(clients, producer, maxPayloadBytes, clock, tiers, retention, instanceId, timeout, false);
    }

    private static TaskClient withIdempotency(dev.conveyor.kafka.KafkaClients clients, Producer<String, TaskRequest> producer,
                                              int maxPayloadBytes, Clock clock, dev.conveyor.retry.RetrySettings tiers,
                                              Duration retention, String instanceId, Duration timeout, boolean ownsProducer) {
        dev.conveyor.idempotency.IdempotencyClaims claims = new dev.conveyor.idempotency.IdempotencyClaims(clients, clock);
        java.util.function.Supplier<Producer<String, org.apache.avro.specific.SpecificRecord>> transactional =
                () -> clients.producer("conveyor-producer-tx-" + instanceId, java.util.Map.of(
                        org.apache.kafka.clients.producer.ProducerConfig.TRANSACTIONAL_ID_CONFIG, "conveyor-producer-" + instanceId,
                        org.apache.kafka.clients.producer.ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) timeout.toMillis() * 3,
                        org.apache.kafka.clients.producer.ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis(),
                        // one transaction at a time: sending without lingering is what makes it fast
                        org.apache.kafka.clients.producer.ProducerConfig.LINGER_MS_CONFIG, 0));
        TaskEvents events = new TaskEvents(EventSettings.defaults(), instanceId, clock);
        return new TaskClient(producer, maxPayloadBytes, clock, clients.meters(), tiers,
                new IdempotentSubmitter(transactional, claims, retention, clock, events), timeout, events, null, ownsProducer);
    }

    /**
     * This client, also answering {@link #status} and {@link #awaitResult} from the status view of the
     * gateway at {@code gateway} (e.g. {@code http://conveyor-gateway:8081}). It shares this client's
     * producer and idempotency machinery: close one of them, once.
     */
    public TaskClient withStatusView(java.net.URI gateway) {
        return withStatusView(gateway, null);
    }

    /**
     * As {@link #withStatusView(java.net.URI)}, for a gateway that authenticates: {@code apiKey} needs the
     * read scope, and reads the tasks submitted with it, which tasks this client writes are when their
     * {@code conveyor.submitter} header names its id; a key with the admin scope reads every task.
     */
    public TaskClient withStatusView(java.net.URI gateway, String apiKey) {
        return new TaskClient(producer, maxPayloadBytes, clock, meters, tiers, idempotent, idempotentTimeout, events,
                new StatusViewClient(gateway, apiKey, clock), ownsProducer);
    }

    /** Where the task stands; empty if the view has never seen it (yet). Needs {@link #withStatusView}. */
    public CompletableFuture<java.util.Optional<TaskStatusReport>> status(String taskId) {
        return view().status(taskId);
    }

    /**
     * Completes with the task's result once it has one (succeeded, failed or cancelled), or fails with a
     * {@link TimeoutException} after {@code timeout}. It waits on the gateway's long-polls, one request
     * at a time and no thread blocked; the result is the view's ({@link TaskStatusReport#toResult()}).
     * Needs {@link #withStatusView}.
     */
    public CompletableFuture<dev.conveyor.schema.TaskResult> awaitResult(String taskId, Duration timeout) {
        return view().awaitFinished(taskId, timeout).thenApply(report -> {
            if (report.duplicate()) {
                throw new IllegalStateException("task " + taskId + " did not run: its idempotency key belongs to an earlier task");
            }
            return report.toResult();
        });
    }

    private StatusViewClient view() {
        if (statusView == null) {
            throw new IllegalStateException("this TaskClient reads no status view; build it with withStatusView(gatewayUrl)");
        }
        return statusView;
    }

    /**
     * Completes once the broker acknowledged the task; fails with {@link SubmissionFailedException} if it did not.
     * It completes on the thread that completes every send's future in turn ({@link dev.conveyor.kafka.Sends}):
     * run blocking continuations with the {@code *Async} variants.
     */
    public CompletableFuture<SubmittedTask> submitAsync(TaskSubmission submission) {
        int payloadBytes = submission.payload().getBytes(StandardCharsets.UTF_8).length;
        if (payloadBytes > maxPayloadBytes) {
            throw new PayloadTooLargeException(payloadBytes, maxPayloadBytes);
        }
        java.time.Instant now = clock.instant();
        String id = TaskIds.next(now.toEpochMilli());
        String key = submission.key() == null ? id : submission.key();
        TaskRequest request = TaskRequest.newBuilder()
                .setId(id)
                .setType(submission.type())
                .setKey(key)
                .setPayload(submission.payload())
                .setSubmittedAt(now)
                .setAttempt(1)
                // 0: the processor's MAX_ATTEMPTS applies
                .setMaxAttempts(submission.maxAttempts() == null ? 0 : submission.maxAttempts())
                .setCallbackUrl(submission.callbackUrl())
                .setHeaders(submission.headers())
                .setTimeoutMs(submission.timeout() == null ? null : submission.timeout().toMillis())
                .setRunAt(submission.runAt())
                // a key drawn by TaskSubmission.of means nothing to a client that cannot claim keys
                .setIdempotencyKey(idempotent == null && submission.drawnIdempotencyKey() ? null : submission.idempotencyKey())
                .build();
        // a delayed task goes straight to the delay tiers, so it never pauses a partition of tasks
        ProducerRecord<String, TaskRequest> record = delayed.isDue(request)
                ? new ProducerRecord<>(Topics.TASKS.name(), key, request) : delayed.nextHop(key, request);
        dev.conveyor.kafka.TaskHeaders.putType(record.headers(), request.getType());
        dev.conveyor.kafka.TaskHeaders.putTraceparent(record.headers(),
                submission.traceparent() == null ? Traceparent.start() : submission.traceparent());
        if (submission.idempotencyKey() != null && !(idempotent == null && submission.drawnIdempotencyKey())) {
            if (idempotent == null) {
                throw new IllegalStateException("this TaskClient takes no idempotency keys; build it with TaskClient.withIdempotency");
            }
            return CompletableFuture.supplyAsync(() -> idempotent.submit(request, record, idempotentTimeout), idempotentCalls)
                    .thenApply(task -> {
                        submitted(submission.type()).increment();
                        return task;
                    });
        }
        return Sends.send(producer, record)
                .handle((metadata, failure) -> {
                    if (failure != null) {
                        throw new SubmissionFailedException("Kafka did not accept task " + id + ": " + failure.getMessage(), failure);
                    }
                    submitted(submission.type()).increment();
                    // after the task is acknowledged, so no QUEUED event ever names a task that was not written
                    eventWriter.write(events.queued(request, record.headers()));
                    return SubmittedTask.created(id, key, metadata.partition(), metadata.offset());
                });
    }

    private Counter submitted(String type) {
        // looked up per task: building the meter id on every submission showed in profiles
        return submittedByType.computeIfAbsent(type, t -> Counter.builder(MetricNames.TASKS_SUBMITTED)
                .tag(MetricNames.TAG_TYPE, t).register(meters));
    }

    /** Blocks at most {@code timeout} for the acknowledgement. */
    public SubmittedTask submit(TaskSubmission submission, Duration timeout) {
        return await(submitAsync(submission), timeout);
    }

    /** Waits at most {@code timeout} for a submission; every failure is a {@link SubmissionFailedException}. */
    static SubmittedTask await(CompletableFuture<SubmittedTask> pending, Duration timeout) {
        try {
            return pending.get(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new SubmissionFailedException("Kafka did not acknowledge the task within " + timeout, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SubmissionFailedException failed) {
                throw failed;
            }
            if (e.getCause() instanceof PayloadTooLargeException tooLarge) {
                throw tooLarge;
            }
            throw new SubmissionFailedException("submission failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SubmissionFailedException("interrupted while submitting", e);
        }
    }

    /** Stops the idempotency machinery, if any, and the producer if {@link #connect} made it; else it belongs to the caller. */
    @Override
    public void close() {
        if (idempotent != null) {
            idempotent.close();
        }
        idempotentCalls.shutdown();
        if (ownsProducer) {
            producer.close(DEFAULT_SUBMIT_TIMEOUT);
        }
    }
}
