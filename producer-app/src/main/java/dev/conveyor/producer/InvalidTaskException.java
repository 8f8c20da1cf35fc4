package dev.conveyor.producer;

/** A submission that breaks the task contract; {@link #field()} names the offending field. */
public final class InvalidTaskException extends RuntimeException {

    private final String field;

    public InvalidTaskException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
