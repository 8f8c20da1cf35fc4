package dev.conveyor.dlq;

import dev.conveyor.schema.DeadLetter;

/** A dead letter and where it sits on {@code tasks.dlq}; {@link #ref()} ({@code partition:offset}) names it on the command line. */
record StoredDeadLetter(int partition, long offset, String key, DeadLetter letter) {

    String ref() {
        return partition + ":" + offset;
    }

    String taskType() {
        return letter.getRequest() == null ? "-" : letter.getRequest().getType();
    }

    String taskId() {
        return letter.getRequest() == null ? "-" : letter.getRequest().getId();
    }

    boolean replayable() {
        return letter.getRequest() != null;
    }
}
