package dev.conveyor;

import dev.conveyor.kafka.Topics;
import dev.conveyor.metrics.MetricNames;
import dev.conveyor.retry.DeadLetterHeaders;
import dev.conveyor.retry.DeadLetterReason;
import dev.conveyor.retry.Failures;
import dev.conveyor.schema.DeadLetter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Writes {@link DeadLetter}s to {@code tasks.dlq}, with the reason in the value and in headers. */
public final class DeadLetterPublisher implements UndecodableRecordHandler {

    private final MeterRegistry meters;
    private final Clock clock;

    public DeadLetterPublisher(MeterRegistry meters, Clock clock) {
        this.meters = meters;
        this.clock = clock;
    }

    /** A poison pill: kept byte for byte, with the reason UNDECODABLE and what the decoder said. */
    @Override
    public CompletionStage<?> handle(ConsumerRecord<String, byte[]> raw, Exception cause, Outbox outbox) {
        DeadLetter letter = DeadLetter.newBuilder()
                .setReason(DeadLetterReason.UNDECODABLE.name())
                .setError(Failures.describe(cause))
                .setFailedAt(clock.instant())
                .setOriginalTopic(raw.topic())
                .setOriginalPartition(raw.partition())
                .setOriginalOffset(raw.offset())
                .setOriginalKey(keyBytes(raw.key()))
                .setOriginalValue(raw.value() == null ? null : ByteBuffer.wrap(raw.value()))
                .setRequest(null)
                .setHistory(List.of())
                .build();
        return publish(outbox, raw.key(), letter, null);
    }

    public CompletionStage<?> publish(Outbox outbox, String key, DeadLetter letter, String taskType) {
        Headers headers = new RecordHeaders();
        headers.add(DeadLetterHeaders.REASON, utf8(letter.getReason()));
        headers.add(DeadLetterHeaders.ORIGINAL_TOPIC, utf8(letter.getOriginalTopic()));
        headers.add(DeadLetterHeaders.ORIGINAL_PARTITION, utf8(Integer.toString(letter.getOriginalPartition())));
        headers.add(DeadLetterHeaders.ORIGINAL_OFFSET, utf8(Long.toString(letter.getOriginalOffset())));
        if (taskType != null) {
            headers.add(DeadLetterHeaders.TASK_TYPE, utf8(taskType));
        }
        ProducerRecord<String, SpecificRecord> record =
                new ProducerRecord<>(Topics.DEAD_LETTERS.name(), null, key, letter, headers);
        return outbox.send(record).thenApply(sent -> {
            Counter.builder(MetricNames.RECORDS_DEAD_LETTERED)
                    .tag(MetricNames.TAG_TOPIC, letter.getOriginalTopic())
                    .tag(MetricNames.TAG_REASON, letter.getReason())
                    .register(meters).increment();
            return sent;
        });
    }

    /** A record key as the dead letter's {@code originalKey}. */
    public static ByteBuffer keyBytes(String key) {
        return key == null ? null : ByteBuffer.wrap(utf8(key));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
