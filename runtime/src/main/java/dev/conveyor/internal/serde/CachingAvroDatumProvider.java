package dev.conveyor.internal.serde;

import io.apicurio.registry.serde.avro.DefaultAvroDatumProvider;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Apicurio's datum provider, but reusing one reader per writer schema and one writer per schema
 * instead of building them for every record: building a reader resolves the writer schema against
 * the reader schema each time, which showed up as the deserializers' main cost. Avro's datum readers
 * and writers may be shared between threads (resolvers are cached per thread inside them). Writers
 * encode each record whole before handing it to the serializer ({@link WholeRecordDatumWriter}) and
 * resolve optional fields without a lookup ({@link NullableUnionDatumWriter}).
 */
public final class CachingAvroDatumProvider<T> extends DefaultAvroDatumProvider<T> {

    // keyed by identity: Schema.equals compares whole schemas and was most of a lookup's cost; the
    // resolver hands out one instance per content id and specific records one per class, so the
    // maps stay as small as the number of schemas, and are dropped should that ever not hold
    private static final int MAX_CACHED = 256;

    private final Map<SchemaIdentity, DatumReader<T>> readers = new ConcurrentHashMap<>();
    private final Map<SchemaIdentity, DatumWriter<T>> writers = new ConcurrentHashMap<>();

    private record SchemaIdentity(Schema schema) {
        @Override
        public boolean equals(Object other) {
            return other instanceof SchemaIdentity that && that.schema == schema;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(schema);
        }
    }

    public CachingAvroDatumProvider() {
        super();
    }

    /** The schema asked for last and what it got: a serde almost always asks for one schema, and a map lookup per record showed in profiles. */
    private record Last<D>(Schema schema, D datum) {
    }

    private volatile Last<DatumReader<T>> lastReader;
    private volatile Last<DatumWriter<T>> lastWriter;

    @Override
    public DatumReader<T> createDatumReader(Schema schema) {
        Last<DatumReader<T>> last = lastReader;
        if (last != null && last.schema() == schema) {
            return last.datum();
        }
        DatumReader<T> reader = cached(readers, schema, super::createDatumReader);
        lastReader = new Last<>(schema, reader);
        return reader;
    }

    @Override
    public DatumWriter<T> createDatumWriter(T data, Schema schema) {
        Last<DatumWriter<T>> last = lastWriter;
        if (last != null && last.schema() == schema) {
            return last.datum();
        }
        DatumWriter<T> writer = cached(writers, schema, s -> new WholeRecordDatumWriter<>(
                data instanceof SpecificRecord ? new NullableUnionDatumWriter<>(s) : super.createDatumWriter(data, s)));
        lastWriter = new Last<>(schema, writer);
        return writer;
    }

    private static <D> D cached(Map<SchemaIdentity, D> cache, Schema schema, java.util.function.Function<Schema, D> create) {
        SchemaIdentity key = new SchemaIdentity(schema);
        D known = cache.get(key);
        if (known != null) {
            return known;
        }
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        return cache.computeIfAbsent(key, k -> create.apply(k.schema()));
    }
}
