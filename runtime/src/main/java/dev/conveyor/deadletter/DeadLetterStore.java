package dev.conveyor.deadletter;

import dev.conveyor.events.EventSettings;
import dev.conveyor.events.EventWriter;
import dev.conveyor.events.TaskEvents;
import dev.conveyor.kafka.KafkaClients;
import org.apache.avro.specific.SpecificRecord;
import dev.conveyor.kafka.Sends;
import dev.conveyor.kafka.TopicReader;
import dev.conveyor.kafka.Topics;
import dev.conveyor.schema.DeadLetter;
import dev.conveyor.schema.TaskRequest;
import dev.conveyor.trace.Traceparent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/** Reads {@code tasks.dlq}, sends dead letters back to {@code tasks}, and deletes old ones. */
public final class DeadLetterStore {

    /** Request header that links a replayed task to the dead letter it came from: {@code tasks.dlq/<partition>/<offset>}. */
    public static final String REPLAYED_FROM = "conveyor.replayed.from";

    private final KafkaClients clients;
    private final String replayer;
    private final Clock clock;

    /** {@code replayer} names who replays in the {@code REPLAYED} events (the tool, the console). */
    public DeadLetterStore(KafkaClients clients, String replayer, Clock clock) {
        this.clients = clients;
        this.replayer = replayer;
        this.clock = clock;
    }

    public List<StoredDeadLetter> read(DeadLetterFilter filter) {
        List<StoredDeadLetter> letters = new ArrayList<>();
        // closed after the read: it holds a registry client with threads of its own
        try (Deserializer<DeadLetter> decoder = clients.valueDeserializer(Topics.DEAD_LETTERS)) {
            for (ConsumerRecord<byte[], byte[]> record : TopicReader.read(clients.cluster(), Topics.DEAD_LETTERS.name())) {
                Map<String, String> headers = new LinkedHashMap<>();
                record.headers().forEach(h -> headers.put(h.key(), h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8)));
                StoredDeadLetter stored = new StoredDeadLetter(record.partition(), record.offset(),
                        record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8),
                        decoder.deserialize(Topics.DEAD_LETTERS.name(), record.value()), headers);
                if (filter.matches(stored)) {
                    letters.add(stored);
                }
            }
        }
        return letters;
    }

    /**
     * Sends each letter's original request back to {@code tasks} as attempt 1, under its task id, with
     * {@code maxAttempts} (0: the processor's limit) and a link to the letter, as a new run of the task
     * ({@link dev.conveyor.kafka.TaskHeaders#RUN}) announced by a {@code REPLAYED} event once it is written;
     * returns how many were sent.
     */
    public int replay(List<StoredDeadLetter> letters, int maxAttempts) throws Exception {
        List<CompletableFuture<?>> sends = new ArrayList<>();
        TaskEvents events = new TaskEvents(EventSettings.defaults(), replayer, clock);
        long run = clock.millis();
        try (Producer<String, SpecificRecord> producer = clients.producer("conveyor-dlq-replay", Map.of())) {
            EventWriter eventWriter = new EventWriter(producer, clients.meters());
            for (StoredDeadLetter stored : letters) {
                TaskRequest original = stored.letter().getRequest();
                Map<String, String> headers = new HashMap<>(original.getHeaders());
                headers.put(REPLAYED_FROM, Topics.DEAD_LETTERS.name() + "/" + stored.partition() + "/" + stored.offset());
                TaskRequest again = TaskRequest.newBuilder(original).setAttempt(1).setMaxAttempts(maxAttempts)
                        .setSubmittedAt(clock.instant()).setHeaders(headers).build();
                ProducerRecord<String, SpecificRecord> replay = new ProducerRecord<>(Topics.TASKS.name(), again.getKey(), again);
                dev.conveyor.kafka.TaskHeaders.putType(replay.headers(), again.getType());
                replay.headers().add(dev.conveyor.kafka.TaskHeaders.RUN, Long.toString(run).getBytes(StandardCharsets.UTF_8));
                // the replay continues the task's trace; a letter without one (written before tasks carried it) starts one
                dev.conveyor.kafka.TaskHeaders.putTraceparent(replay.headers(),
                        Traceparent.parseOrStart(stored.headers().get(dev.conveyor.kafka.TaskHeaders.TRACEPARENT)));
                sends.add(Sends.send(producer, replay).thenCompose(written ->
                        eventWriter.write(events.replayed(again, replay.headers(), run, stored.partition(), stored.offset()))));
            }
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }
        return sends.size();
    }

    /**
     * What a purge of the letters that failed before a time deletes: Kafka deletes only a partition's
     * oldest records, so per partition every letter before the first one that failed at or after it.
     *
     * @param upTo    per partition, the offset deleted up to
     * @param letters how many letters that is
     */
    public record PurgePlan(Map<TopicPartition, Long> upTo, long letters) {
    }

    public PurgePlan purgePlan(Instant before) {
        Map<TopicPartition, Long> upTo = new HashMap<>();
        Map<Integer, Boolean> reachedNewer = new HashMap<>();
        long letters = 0;
        for (StoredDeadLetter stored : read(DeadLetterFilter.all())) {
            if (reachedNewer.getOrDefault(stored.partition(), false)) {
                continue;
            }
            if (stored.letter().getFailedAt().isBefore(before)) {
                upTo.put(new TopicPartition(Topics.DEAD_LETTERS.name(), stored.partition()), stored.offset() + 1);
                letters++;
            } else {
                reachedNewer.put(stored.partition(), true);
            }
        }
        return new PurgePlan(upTo, letters);
    }

    public void purge(Map<TopicPartition, Long> upTo) throws Exception {
        Map<TopicPartition, RecordsToDelete> deletions = new HashMap<>();
        upTo.forEach((partition, offset) -> deletions.put(partition, RecordsToDelete.beforeOffset(offset)));
        clients.admin().deleteRecords(deletions).all().get(60, TimeUnit.SECONDS);
    }
}
