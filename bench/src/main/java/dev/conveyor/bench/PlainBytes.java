package dev.conveyor.bench;

import java.nio.ByteBuffer;

/** The raw ceiling's records: plain bytes of the task's size, relayed as they are. */
final class PlainBytes implements RelayedRecords {

    private final int recordBytes;

    PlainBytes(int recordBytes) {
        this.recordBytes = recordBytes;
    }

    @Override
    public byte[] source(int index, long sentAtNanos) {
        byte[] value = new byte[recordBytes];
        ByteBuffer.wrap(value).putLong(sentAtNanos).putInt(index);
        return value;
    }

    @Override
    public byte[] relay(byte[] consumed) {
        return consumed;
    }

    @Override
    public Stamp read(byte[] delivered) {
        ByteBuffer value = ByteBuffer.wrap(delivered);
        return new Stamp(value.getLong(), value.getInt());
    }
}
