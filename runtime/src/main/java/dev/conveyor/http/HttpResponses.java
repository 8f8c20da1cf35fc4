package dev.conveyor.http;

import dev.conveyor.metrics.CountersByTwoTags;
import dev.conveyor.metrics.MetricNames;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts {@link MetricNames#HTTP_RESPONSES} by route and status once each response is written. The
 * route is the path pattern the request matched ({@code /tasks/{id}}), never the request's own path, so
 * the series stay few whatever clients send; a request no route matched counts as {@value #UNMATCHED}.
 */
final class HttpResponses {

    static final String UNMATCHED = "unmatched";
    /** Status codes as tag values, built once: a response is counted on the request's thread, per request. */
    private static final String[] STATUSES = statuses();

    private final CountersByTwoTags responses;

    HttpResponses(MeterRegistry meters) {
        this.responses = new CountersByTwoTags(meters, MetricNames.HTTP_RESPONSES, MetricNames.TAG_ROUTE, MetricNames.TAG_STATUS);
    }

    void count(Context ctx) {
        int status = ctx.statusCode();
        responses.increment(route(ctx), status >= 0 && status < STATUSES.length ? STATUSES[status] : Integer.toString(status));
    }

    private static String route(Context ctx) {
        try {
            return ctx.endpointHandlerPath();
        } catch (IllegalStateException noEndpoint) {
            // Javalin has no endpoint path for a request no route matched
            return UNMATCHED;
        }
    }

    private static String[] statuses() {
        String[] statuses = new String[600];
        for (int i = 0; i < statuses.length; i++) {
            statuses[i] = Integer.toString(i);
        }
        return statuses;
    }
}
