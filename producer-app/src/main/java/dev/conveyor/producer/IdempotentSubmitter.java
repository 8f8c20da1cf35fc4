package dev.conveyor.producer;

import dev.conveyor.idempotency.IdempotencyClaims;
import dev.conveyor.kafka.Topics;
import dev.conveyor.schema.IdempotencyClaim;
import dev.conveyor.schema.TaskRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import dev.conveyor.events.TaskEvents;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits tasks with an idempotency key: each task and the claim of its key are written in one
 * transaction, so neither exists without the other. Once the claims view has read past the claim,
 * the first claim of the key in its partition's order decides: if it is ours the task is new;
 * otherwise the caller gets the earlier task's id, and processors skip the task we wrote. Every
 * instance and every concurrent caller reaches the same verdict without coordinating.
 * Concurrent submissions share transactions (group commit), one transaction at a time.
 */
final class IdempotentSubmitter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IdempotentSubmitter.class);
    /** Submissions waiting for a transaction; beyond this, callers are refused rather than queued. */
    static final int MAX_QUEUED = 10_000;
    static final int MAX_PER_TRANSACTION = 500;

    private record Pending(TaskRequest task, ProducerRecord<String, TaskRequest> record, Instant deadline,
                           CompletableFuture<RecordMetadata[]> written) {
    }

    private final Supplier<Producer<String, SpecificRecord>> producers;
    private final IdempotencyClaims claims;
    private final Duration retention;
    private final Clock clock;
    private final TaskEvents events;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(MAX_QUEUED);
    private final Thread committer;
    private volatile boolean closed;
    private Producer<String, SpecificRecord> producer;

    IdempotentSubmitter(Supplier<Producer<String, SpecificRecord>> producers, IdempotencyClaims claims, Duration retention, Clock clock,
                        TaskEvents events) {
        this.events = events;
        this.producers = producers;
        this.claims = claims;
        this.retention = retention;
        this.clock = clock;
        this.committer = Thread.ofPlatform().name("conveyor-idempotent-submitter").daemon().start(this::commitLoop);
    }

    SubmittedTask submit(TaskRequest task, ProducerRecord<String, TaskRequest> record, Duration timeout) {
        Pending pending = new Pending(task, record, clock.instant().plus(timeout), new CompletableFuture<>());
        RecordMetadata[] written;
        try {
            if (!queue.offer(pending, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new SubmissionFailedException("too many keyed submissions waiting; task " + task.getId() + " was not written", null);
            }
            written = pending.written().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new SubmissionFailedException("Kafka did not accept task " + task.getId() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new SubmissionFailedException("Kafka did not acknowledge task " + task.getId() + " within " + timeout
                    + "; it may or may not have been written", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SubmissionFailedException("interrupted while submitting", e);
        }
        RecordMetadata claim = written[0];
        try {
            claims.reached(new IdempotencyClaims.Position(claim.partition(), claim.offset())).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // the task is written; only the verdict is late. Processors will decide the same way.
            throw new SubmissionFailedException("task " + task.getId() + " was written but its idempotency key could not be"
                    + " checked within " + timeout + "; submit again with the same key to learn its task id", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SubmissionFailedException("interrupted while submitting", e);
        }
        if (claims.lost(task.getId())) {
            return SubmittedTask.duplicateOf(claims.ownerOf(task.getIdempotencyKey()).orElseThrow(), task.getKey());
        }
        return SubmittedTask.created(task.getId(), task.getKey(), written[1].partition(), written[1].offset());
    }

    private void commitLoop() {
        List<Pending> batch = new ArrayList<>();
        while (!closed) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_PER_TRANSACTION - 1);
                Instant now = clock.instant();
                // a caller that gave up must not get a task written behind its back
                batch.removeIf(p -> {
                    if (p.deadline().isBefore(now)) {
                        p.written().completeExceptionally(new TimeoutException("waited too long for a transaction"));
                        return true;
                    }
                    return false;
                });
                if (!batch.isEmpty()) {
                    write(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("keyed submission batch failed", e);
                batch.forEach(p -> p.written().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending> batch) throws InterruptedException {
        Producer<String, SpecificRecord> tx = producer();
        try {
            tx.beginTransaction();
            Instant now = clock.instant();
            List<Future<RecordMetadata>> claimsSent = new ArrayList<>(batch.size());
            for (Pending p : batch) {
                IdempotencyClaim claim = IdempotencyClaim.newBuilder().setIdempotencyKey(p.task().getIdempotencyKey())
                        .setTaskId(p.task().getId()).setClaimedAt(now).setExpiresAt(now.plus(retention)).build();
                claimsSent.add(tx.send(new ProducerRecord<>(Topics.IDEMPOTENCY.name(), p.task().getIdempotencyKey(), claim)));
            }
            List<RecordMetadata> claimed = new ArrayList<>(batch.size());
            for (Future<RecordMetadata> sent : claimsSent) {
                claimed.add(sent.get());
            }
            List<Future<RecordMetadata>> tasksSent = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                ProducerRecord<String, TaskRequest> record = batch.get(i).record();
                record.headers().add(IdempotencyClaims.CLAIM_HEADER,
                        new IdempotencyClaims.Position(claimed.get(i).partition(), claimed.get(i).offset()).encode());
                @SuppressWarnings({"unchecked", "rawtypes"})
                ProducerRecord<String, SpecificRecord> asSpecific = (ProducerRecord) record;
                tasksSent.add(tx.send(asSpecific));
                // QUEUED in the task's transaction; a duplicate's is followed by the processor's DUPLICATE_SKIPPED
                ProducerRecord<String, SpecificRecord> queued = events.queued(batch.get(i).task(), record.headers());
                if (queued != null) {
                    tx.send(queued);
                }
            }
            tx.commitTransaction();
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).written().complete(new RecordMetadata[] {claimed.get(i), tasksSent.get(i).get()});
            }
        } catch (ExecutionException | KafkaException e) {
            abort(tx);
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            LOG.warn("a transaction of {} keyed submissions failed: {}", batch.size(), cause.toString());
            batch.forEach(p -> p.written().completeExceptionally(cause));
        }
    }

    private Producer<String, SpecificRecord> producer() {
        if (producer == null) {
            Producer<String, SpecificRecord> created = producers.get();
            created.initTransactions();
            producer = created;
        }
        return producer;
    }

    private void abort(Producer<String, SpecificRecord> tx) {
        try {
            tx.abortTransaction();
        } catch (KafkaException cannotAbort) {
            // fenced or broken: a new producer with the same transactional id aborts what is left open
            producer.close(Duration.ZERO);
            producer = null;
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            committer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        claims.close();
    }
}
