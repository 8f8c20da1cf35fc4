package dev.conveyor.internal.route;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.utils.ByteUtils;

/**
 * Whether a record is larger than the producer sends ({@code max.request.size}), measured as the
 * producer measures it before sending: key, value in Confluent wire format (5 bytes of framing, then
 * Avro), headers, and the record's and its batch's own bytes, before compression. A record over it is
 * refused by the producer, and the refusal cannot be retried away: an attempt whose output is refused
 * would be redone for ever, and under exactly-once it aborts the transaction of every record in it. So
 * the router asks first. Almost every record is far below the limit, which a bound from string lengths
 * shows without encoding it; only a record whose bound exceeds the limit is encoded to count its bytes.
 */
final class RecordSizeLimit {

    /** Magic byte and schema id before the Avro bytes of every value. */
    static final int WIRE_FORMAT_PREFIX = 5;
    /** A record batch's own bytes (Kafka's {@code DefaultRecordBatch.RECORD_BATCH_OVERHEAD}). */
    static final int BATCH_OVERHEAD = 61;
    /** A record's own bytes at most: length, attributes, timestamp and offset deltas ({@code DefaultRecord.MAX_RECORD_OVERHEAD}). */
    static final int RECORD_OVERHEAD = 21;

    private final int maxBytes;

    RecordSizeLimit(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    int maxBytes() {
        return maxBytes;
    }

    /** The record's size in bytes when it is over the limit, or -1 when it fits. */
    long oversize(ProducerRecord<String, SpecificRecord> record) {
        if (size(record, upperBound(record.value()), false) <= maxBytes) {
            return -1;
        }
        long exact = size(record, avroBytes(record.value()), true);
        return exact <= maxBytes ? -1 : exact;
    }

    /**
     * As Kafka's {@code AbstractRecords.estimateSizeInBytesUpperBound} for a record batch of one record;
     * with {@code exact} false, text is bounded by its length rather than encoded, so the common case
     * allocates nothing.
     */
    private static long size(ProducerRecord<String, SpecificRecord> record, long avroBytes, boolean exact) {
        long size = BATCH_OVERHEAD + RECORD_OVERHEAD + varintSized(WIRE_FORMAT_PREFIX + avroBytes);
        size += record.key() == null ? 1 : text(record.key(), exact);
        int headers = 0;
        for (Header header : record.headers()) {
            headers++;
            size += text(header.key(), exact);
            size += header.value() == null ? 1 : varintSized(header.value().length);
        }
        return size + ByteUtils.sizeOfVarint(headers);
    }

    private static long text(String text, boolean exact) {
        return exact ? varintSized(text.getBytes(StandardCharsets.UTF_8).length) : 5 + 3L * text.length();
    }

    /** A length-prefixed run of bytes. */
    private static long varintSized(long length) {
        return ByteUtils.sizeOfVarint((int) Math.min(length, Integer.MAX_VALUE)) + length;
    }

    /**
     * At least as many bytes as Avro's binary encoding of {@code value}: a string's UTF-8 takes at most
     * three bytes per UTF-16 char, every length or number at most 10, every union branch index 1.
     */
    static long upperBound(Object value) {
        return switch (value) {
            case null -> 0;
            case CharSequence text -> 5 + 3L * text.length();
            case ByteBuffer bytes -> 5 + bytes.remaining();
            case SpecificRecord record -> {
                long size = 0;
                for (int i = 0; i < record.getSchema().getFields().size(); i++) {
                    size += 1 + upperBound(record.get(i));
                }
                yield size;
            }
            case Map<?, ?> map -> {
                long size = 10;
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    size += upperBound(entry.getKey()) + upperBound(entry.getValue());
                }
                yield size;
            }
            case Collection<?> items -> {
                long size = 10;
                for (Object item : items) {
                    size += upperBound(item);
                }
                yield size;
            }
            default -> 10;
        };
    }

    /** The exact length of Avro's binary encoding of {@code value}, counted without keeping the bytes. */
    static long avroBytes(SpecificRecord value) {
        CountingStream counted = new CountingStream();
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(counted, null);
            new SpecificDatumWriter<SpecificRecord>(value.getSchema()).write(value, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return counted.count;
    }

    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
