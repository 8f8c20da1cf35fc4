package dev.conveyor.net;

/** A callback URL in a form no webhook is sent to. */
public final class InvalidCallbackUrlException extends Exception {

    private final String rule;

    /**
     * @param rule   short, stable name of the broken rule: {@code malformed}, {@code scheme}, {@code user-info}, {@code numeric-host}
     * @param reason completes "callbackUrl ...", e.g. "must be an absolute http(s) URL"
     */
    public InvalidCallbackUrlException(String rule, String reason) {
        super(reason);
        this.rule = rule;
    }

    public String rule() {
        return rule;
    }
}
