package dev.conveyor.http;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem detail, the body of every error answer ({@code application/problem+json}).
 *
 * @param type   a URI naming the kind of problem, stable for clients to switch on
 * @param title  a short summary of that kind
 * @param status the HTTP status
 * @param detail what is wrong with this request, specifically
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance) {

    public static final String CONTENT_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "urn:conveyor:problem:";

    public static Problem of(String kind, String title, int status, String detail) {
        return new Problem(TYPE_BASE + kind, title, status, detail, null);
    }

    public Problem at(String path) {
        return new Problem(type, title, status, detail, path);
    }
}
