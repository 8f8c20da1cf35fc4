package dev.conveyor.internal.serde;

import java.io.IOException;
import java.io.OutputStream;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Encodes a record through a buffered Avro encoder of its own and passes the bytes on to the
 * serializer's encoder in one write. Apicurio's serializer encodes straight into a synchronized,
 * growing {@code ByteArrayOutputStream}, one write per field and per length prefix: those writes
 * were about a third of a record's serialization cost in the no-op profile. The bytes are the same:
 * Avro's binary encoding of a record is the concatenation of its fields' encodings.
 */
final class WholeRecordDatumWriter<T> implements DatumWriter<T> {

    // Conveyor's records are a few hundred bytes; a larger one just flushes more than once
    private static final int BUFFER_BYTES = 512;
    private static final EncoderFactory ENCODERS = new EncoderFactory().configureBufferSize(BUFFER_BYTES);

    private final DatumWriter<T> delegate;

    WholeRecordDatumWriter(DatumWriter<T> delegate) {
        this.delegate = delegate;
    }

    @Override
    public void setSchema(Schema schema) {
        delegate.setSchema(schema);
    }

    @Override
    public void write(T datum, Encoder out) throws IOException {
        if (!(out instanceof BinaryEncoder)) {
            delegate.write(datum, out);
            return;
        }
        BinaryEncoder buffered = ENCODERS.binaryEncoder(new EncoderOutput(out), null);
        delegate.write(datum, buffered);
        buffered.flush();
    }

    /** What the buffered encoder flushes goes to the serializer's encoder as raw bytes. */
    private static final class EncoderOutput extends OutputStream {

        private final Encoder target;

        EncoderOutput(Encoder target) {
            this.target = target;
        }

        @Override
        public void write(int b) throws IOException {
            target.writeFixed(new byte[] {(byte) b});
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            target.writeFixed(bytes, offset, length);
        }
    }
}
