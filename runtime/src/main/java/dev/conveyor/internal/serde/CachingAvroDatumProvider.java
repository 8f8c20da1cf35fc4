package dev.conveyor.internal.serde;

import io.apicurio.registry.serde.avro.DefaultAvroDatumProvider;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;

/**
 * Apicurio's datum provider, but reusing one reader per writer schema and one writer per schema
 * instead of building them for every record: building a reader resolves the writer schema against
 * the reader schema each time, which showed up as the deserializers' main cost. Avro's datum readers
 * and writers may be shared between threads (resolvers are cached per thread inside them).
 */
public final class CachingAvroDatumProvider<T> extends DefaultAvroDatumProvider<T> {

    private final Map<Schema, DatumReader<T>> readers = new ConcurrentHashMap<>();
    private final Map<Schema, DatumWriter<T>> writers = new ConcurrentHashMap<>();

    public CachingAvroDatumProvider() {
        super();
    }

    @Override
    public DatumReader<T> createDatumReader(Schema schema) {
        return readers.computeIfAbsent(schema, super::createDatumReader);
    }

    @Override
    public DatumWriter<T> createDatumWriter(T data, Schema schema) {
        return writers.computeIfAbsent(schema, s -> super.createDatumWriter(data, s));
    }
}
