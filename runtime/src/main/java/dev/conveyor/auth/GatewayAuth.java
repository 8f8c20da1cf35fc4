package dev.conveyor.auth;

import dev.conveyor.http.Problem;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * Who may use the gateway: {@link #install} checks every request's API key and scope before its route
 * runs; the routes then ask what the caller may submit and read. With {@code AUTH=none} everyone may
 * do everything and tasks carry no submitter.
 */
public interface GatewayAuth {

    /** Answers a request that needs a key and has none (or one that is not valid) before its route runs. */
    void install(Javalin app);

    /** The id of the key the request was made with, for the task's {@code conveyor.submitter} header. */
    Optional<String> submitter(Context ctx);

    /**
     * Whether the caller may submit {@code tasks} tasks of these types now: empty if so, else the 403
     * or 429 problem to answer (a 429 also sets {@code Retry-After} on {@code ctx}). Admitting takes the
     * tasks from the key's rate.
     */
    Optional<Problem> admit(Context ctx, Collection<String> types, int tasks);

    /** Of which submitters (a key id, or null for none) the caller may read task statuses. */
    Predicate<String> readable(Context ctx);

    static GatewayAuth none() {
        return NoAuth.INSTANCE;
    }

    /** The gateway's authentication as configured; reads the keys (a {@link dev.conveyor.ConfigException} if it cannot). */
    static GatewayAuth from(AuthSettings settings, Clock clock, MeterRegistry meters) {
        if (!settings.enabled()) {
            LoggerFactory.getLogger(GatewayAuth.class).warn("{}={}: the gateway takes tasks and answers status requests from anyone who"
                    + " reaches its port, and tasks carry no submitter", AuthSettings.AUTH, AuthSettings.NO_AUTH);
            return none();
        }
        KeyRing ring = KeyRing.open(settings, KeyRing.DEFAULT_CHECK_INTERVAL, clock);
        LoggerFactory.getLogger(GatewayAuth.class).info("the gateway authenticates requests with the API keys of {} ids ({}){}",
                ring.ids().size(), String.join(", ", ring.ids()), settings.metricsAuth() ? "; /metrics needs the admin scope" : "");
        return new ApiKeyAuth(ring, new RateLimiter(clock), settings.metricsAuth(), meters);
    }
}
