package dev.conveyor.deadletter;

import dev.conveyor.schema.DeadLetter;
import java.util.HexFormat;
import java.util.Map;

/** A dead letter and where it sits on {@code tasks.dlq}; {@link #ref()} ({@code partition:offset}) names it on the command line. */
public record StoredDeadLetter(int partition, long offset, String key, DeadLetter letter, Map<String, String> headers) {

    public StoredDeadLetter {
        headers = Map.copyOf(headers);
    }

    public String ref() {
        return partition + ":" + offset;
    }

    public String taskType() {
        return letter.getRequest() == null ? "-" : letter.getRequest().getType();
    }

    public String taskId() {
        return letter.getRequest() == null ? "-" : letter.getRequest().getId();
    }

    public boolean replayable() {
        return letter.getRequest() != null;
    }

    /** The bytes of a record that could not be decoded, as hex (empty when the letter holds a decoded task). */
    public String originalValueHex() {
        if (letter.getOriginalValue() == null) {
            return "";
        }
        java.nio.ByteBuffer value = letter.getOriginalValue().duplicate();
        byte[] bytes = new byte[value.remaining()];
        value.get(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
