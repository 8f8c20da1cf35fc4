package dev.conveyor.internal.serde;

import io.apicurio.registry.resolver.DefaultSchemaResolver;
import io.apicurio.registry.resolver.SchemaLookupResult;
import io.apicurio.registry.resolver.SchemaParser;
import io.apicurio.registry.resolver.config.SchemaResolverConfig;
import io.apicurio.registry.resolver.data.Record;
import io.apicurio.registry.serde.data.SerdeMetadata;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;

/**
 * Apicurio's schema resolver, but remembering the lookup for each (topic, writer schema) pair when
 * writing and the schema of each content id when reading.
 *
 * <p>With auto-registration, Apicurio's resolver keys its cache by the schema's JSON text, so it
 * renders the writer schema to JSON on every record before it can find the cached content id: that
 * was 15 of the 16 µs a task's serialization cost (JMH {@code SerializationBenchmark}). A specific
 * record's schema is one object for the life of the JVM, so the pair identifies the lookup. Entries
 * are redone through Apicurio after its own check period, so a registry that lost its state is
 * re-registered into as it would be without this cache. Keying by topic also registers a schema
 * under every topic's {@code <topic>-value} subject it is written to (the task schema goes to
 * {@code tasks} and each retry tier), where Apicurio alone registers it under the first only.
 */
public final class SchemaPerTopicResolver<S, T> extends DefaultSchemaResolver<S, T> {

    private static final long DEFAULT_CHECK_PERIOD_MS = 30_000;

    private record Key(String topic, boolean isKey, Schema schema) {
    }

    private record Entry<S>(SchemaLookupResult<S> result, long expiresAtNanos) {
    }

    private record ContentIdHit<S>(long contentId, SchemaLookupResult<S> result) {
    }

    private final Map<Key, Entry<S>> lookups = new ConcurrentHashMap<>();
    private final Map<Long, SchemaLookupResult<S>> byContentId = new ConcurrentHashMap<>();
    // a deserializer reads one topic, nearly always written with one schema: the last hit answers
    // without boxing the id and looking it up in the map, which every record would otherwise pay
    private volatile ContentIdHit<S> lastHit;
    private long checkPeriodNanos = TimeUnit.MILLISECONDS.toNanos(DEFAULT_CHECK_PERIOD_MS);

    public SchemaPerTopicResolver() {
        super();
    }

    @Override
    public void configure(Map<String, ?> configs, SchemaParser<S, T> schemaParser) {
        super.configure(configs, schemaParser);
        Object period = configs.get(SchemaResolverConfig.CHECK_PERIOD_MS);
        if (period != null) {
            checkPeriodNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(period.toString()));
        }
    }

    @Override
    public SchemaLookupResult<S> resolveSchema(Record<T> data) {
        if (!(data.payload() instanceof GenericContainer container) || !(data.metadata() instanceof SerdeMetadata metadata)) {
            return super.resolveSchema(data);
        }
        Key key = new Key(metadata.getTopic(), metadata.isKey(), container.getSchema());
        Entry<S> entry = lookups.get(key);
        if (entry == null || System.nanoTime() - entry.expiresAtNanos() >= 0) {
            entry = lookUp(key, data);
        }
        return entry.result();
    }

    private synchronized Entry<S> lookUp(Key key, Record<T> data) {
        long now = System.nanoTime();
        Entry<S> entry = lookups.get(key);
        if (entry != null && now - entry.expiresAtNanos() < 0) {
            return entry;
        }
        if (entry == null) {
            // Apicurio finds registered content by its text alone, so a schema already registered
            // for another topic would be framed without ever being registered under this topic's
            // subject: forget that content so this first lookup registers it here too
            schemaCache.clear();
        }
        entry = new Entry<>(super.resolveSchema(data), now + checkPeriodNanos);
        lookups.put(key, entry);
        return entry;
    }

    /**
     * The reading side: a content id names immutable content, so its schema is fetched and parsed
     * once and kept, where Apicurio's cache expires it every check period and then fetches and parses
     * it again in every thread that misses at that moment. Keeping one parsed instance per id also
     * lets the datum provider find its cached reader by identity.
     */
    @Override
    protected SchemaLookupResult<S> resolveSchemaByContentId(long contentId) {
        ContentIdHit<S> hit = lastHit;
        if (hit != null && hit.contentId() == contentId) {
            return hit.result();
        }
        SchemaLookupResult<S> known = byContentId.get(contentId);
        if (known == null) {
            known = byContentId.computeIfAbsent(contentId, id -> super.resolveSchemaByContentId(id));
        }
        lastHit = new ContentIdHit<>(contentId, known);
        return known;
    }

    @Override
    public void reset() {
        lastHit = null;
        lookups.clear();
        byContentId.clear();
        super.reset();
    }
}
