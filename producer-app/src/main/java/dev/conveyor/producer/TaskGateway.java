package dev.conveyor.producer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conveyor.http.AppServer;
import dev.conveyor.metrics.MetricNames;
import dev.conveyor.http.Problem;
import dev.conveyor.auth.GatewayAuth;
import dev.conveyor.auth.Scope;
import dev.conveyor.trace.Traceparent;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /tasks}: JSON in, {@code 202 {"id", "status": "QUEUED"}} out once Kafka acknowledged
 * the task; {@code POST /tasks/batch}: a JSON array of tasks in, one answer per task out. Both need a
 * key with the submit scope and a JSON body. Every refusal is an RFC 9457 problem, and nothing is
 * produced for a refused task. Submissions waiting for Kafka are bounded: past the bound the gateway
 * answers 503 at once instead of queueing, and no request waits longer than the send timeout.
 * A request's W3C {@code traceparent} header is the trace its tasks join (a malformed one is discarded
 * and, as with none, a new trace is started); every answer names that trace in its own
 * {@code traceparent} header, so the caller can correlate.
 */
final class TaskGateway {

    /** Room for the JSON around the payload. */
    static final int ENVELOPE_BYTES = 16 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(TaskGateway.class);

    private final TaskClient client;
    private final int maxPayloadBytes;
    private final Duration sendTimeout;
    private final int batchMaxTasks;
    private final MeterRegistry meters;
    private final GatewayAuth auth;
    // tasks handed to Kafka and not yet acknowledged or failed, over all requests
    private final Semaphore pending;

    TaskGateway(TaskClient client, int maxPayloadBytes, Duration sendTimeout, int batchMaxTasks, int maxPendingSubmissions,
                MeterRegistry meters, GatewayAuth auth) {
        this.client = client;
        this.maxPayloadBytes = maxPayloadBytes;
        this.sendTimeout = sendTimeout;
        this.batchMaxTasks = batchMaxTasks;
        this.pending = new Semaphore(maxPendingSubmissions);
        this.meters = meters;
        this.auth = auth;
    }

    void routes(Javalin app) {
        app.post("/tasks", this::submit, Scope.SUBMIT);
        app.post("/tasks/batch", this::submitBatch, Scope.SUBMIT);
    }

    private void submit(Context ctx) {
        if (!TaskJson.declaresJson(ctx.contentType())) {
            refuse(ctx, unsupportedMediaType(ctx));
            return;
        }
        long declared = ctx.contentLength();
        if (declared > maxPayloadBytes + ENVELOPE_BYTES) {
            refuse(ctx, Problem.of("payload-too-large", "Payload too large", 413,
                    "request body is " + declared + " bytes; payloads may be at most " + maxPayloadBytes + " bytes"));
            return;
        }
        TaskSubmission submission;
        try {
            submission = TaskJson.withHeaderKey(TaskJson.parse(ctx.bodyAsBytes(), auth.submitter(ctx).orElse(null)),
                    ctx.header(TaskJson.IDEMPOTENCY_HEADER)).withTraceparent(trace(ctx));
        } catch (InvalidTaskException e) {
            refuse(ctx, invalid(e));
            return;
        }
        Optional<Problem> refused = auth.admit(ctx, Set.of(submission.type()), 1);
        if (refused.isPresent()) {
            refuse(ctx, refused.get());
            return;
        }
        if (!pending.tryAcquire()) {
            overloaded(ctx);
            return;
        }
        Outcome outcome = await(start(submission), Instant.now().plus(sendTimeout));
        if (outcome.task() == null) {
            if (outcome.problem().status() == 503) {
                ctx.header("Retry-After", "5");
            }
            refuse(ctx, outcome.problem());
            return;
        }
        ctx.header("Location", "/tasks/" + outcome.task().id()).status(outcome.task().duplicate() ? 200 : 202).json(accepted(outcome.task()));
    }

    /**
     * Every task is read first; the valid ones are then admitted together: one type outside the key's
     * scope refuses the whole batch (403), as does a batch over the key's rate (429), and nothing of it
     * is produced. Invalid tasks are answered each on its own.
     */
    private void submitBatch(Context ctx) {
        if (!TaskJson.declaresJson(ctx.contentType())) {
            refuse(ctx, unsupportedMediaType(ctx));
            return;
        }
        JsonNode tasks;
        try {
            tasks = TaskJson.readTree(ctx.bodyAsBytes());
        } catch (InvalidTaskException e) {
            refuse(ctx, invalid(e));
            return;
        }
        if (!tasks.isArray() || tasks.isEmpty()) {
            refuse(ctx, Problem.of("invalid-task", "Invalid task", 400, "body: must be a non-empty JSON array of tasks"));
            return;
        }
        if (tasks.size() > batchMaxTasks) {
            refuse(ctx, Problem.of("batch-too-large", "Batch too large", 413,
                    "the batch has " + tasks.size() + " tasks; at most " + batchMaxTasks + " are accepted in one request"));
            return;
        }
        String submitter = auth.submitter(ctx).orElse(null);
        Traceparent trace = trace(ctx);
        List<TaskSubmission> parsed = new ArrayList<>(tasks.size());
        List<Problem> refused = new ArrayList<>(tasks.size());
        for (JsonNode task : tasks) {
            try {
                parsed.add(TaskJson.parse(task, submitter).withTraceparent(trace));
                refused.add(null);
            } catch (InvalidTaskException e) {
                parsed.add(null);
                refused.add(invalid(e));
            }
        }
        List<TaskSubmission> valid = parsed.stream().filter(Objects::nonNull).toList();
        Optional<Problem> notAdmitted = valid.isEmpty() ? Optional.empty()
                : auth.admit(ctx, valid.stream().map(TaskSubmission::type).collect(Collectors.toSet()), valid.size());
        if (notAdmitted.isPresent()) {
            refuse(ctx, notAdmitted.get());
            return;
        }
        if (!pending.tryAcquire(valid.size())) {
            overloaded(ctx);
            return;
        }
        Instant deadline = Instant.now().plus(sendTimeout);
        List<CompletableFuture<SubmittedTask>> started = parsed.stream().map(task -> task == null ? null : start(task)).toList();
        List<Map<String, Object>> results = new ArrayList<>(tasks.size());
        int accepted = 0;
        for (int i = 0; i < tasks.size(); i++) {
            Outcome outcome = started.get(i) == null ? new Outcome(null, refused.get(i)) : await(started.get(i), deadline);
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("index", i);
            if (outcome.task() != null) {
                accepted++;
                // the HTTP status a single POST /tasks would have answered
                item.put("status", outcome.task().duplicate() ? 200 : 202);
                item.put("id", outcome.task().id());
                item.put("key", outcome.task().key());
                if (outcome.task().duplicate()) {
                    item.put("duplicate", true);
                }
            } else {
                item.put("status", outcome.problem().status());
                item.put("problem", outcome.problem());
                count(outcome.problem());
            }
            results.add(item);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accepted", accepted);
        body.put("refused", tasks.size() - accepted);
        body.put("results", results);
        ctx.status(200).json(body);
    }

    /** Hands the task to Kafka; the permit taken for it is returned when Kafka answers, however long the caller waits. */
    private CompletableFuture<SubmittedTask> start(TaskSubmission submission) {
        try {
            CompletableFuture<SubmittedTask> sent = client.submitAsync(submission);
            sent.whenComplete((task, failure) -> pending.release());
            return sent;
        } catch (RuntimeException e) {
            pending.release();
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The request's trace context, or a new trace; echoed on the answer. */
    private static Traceparent trace(Context ctx) {
        Traceparent trace = Traceparent.parseOrStart(ctx.header(Traceparent.HEADER));
        ctx.header(Traceparent.HEADER, trace.toString());
        return trace;
    }

    private record Outcome(SubmittedTask task, Problem problem) {
    }

    private Outcome await(CompletableFuture<SubmittedTask> sent, Instant deadline) {
        try {
            return new Outcome(TaskClient.await(sent, Duration.between(Instant.now(), deadline)), null);
        } catch (PayloadTooLargeException e) {
            return new Outcome(null, Problem.of("payload-too-large", "Payload too large", 413, e.getMessage()));
        } catch (SubmissionFailedException e) {
            LOG.warn("answering 503: {}", e.getMessage());
            return new Outcome(null, Problem.of("kafka-unavailable", "Task store unavailable", 503,
                    "the task was not acknowledged by Kafka within " + sendTimeout + "; it may or may not have been queued"));
        }
    }

    private static Map<String, Object> accepted(SubmittedTask task) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", task.id());
        body.put("status", "QUEUED");
        body.put("key", task.key());
        if (task.duplicate()) {
            // the same idempotency key was submitted before: this is that task, not a new one
            body.put("duplicate", true);
        }
        return body;
    }

    private static Problem unsupportedMediaType(Context ctx) {
        return Problem.of("unsupported-media-type", "Unsupported media type", 415, "the body must be JSON sent with Content-Type: "
                + TaskJson.MEDIA_TYPE + (ctx.contentType() == null ? "; the request has no Content-Type" : ", not " + ctx.contentType()));
    }

    private static Problem invalid(InvalidTaskException e) {
        return Problem.of("invalid-task", "Invalid task", 400, e.getMessage());
    }

    private void overloaded(Context ctx) {
        ctx.header("Retry-After", "1");
        refuse(ctx, Problem.of("overloaded", "Too many submissions in flight", 503,
                "this instance already waits for Kafka on its limit of submissions; retry shortly"));
    }

    private void refuse(Context ctx, Problem problem) {
        count(problem);
        AppServer.problem(ctx, problem);
    }

    private void count(Problem problem) {
        Counter.builder(MetricNames.TASKS_REJECTED).tag(MetricNames.TAG_REASON, problem.type().substring(problem.type().lastIndexOf(':') + 1))
                .register(meters).increment();
    }
}
