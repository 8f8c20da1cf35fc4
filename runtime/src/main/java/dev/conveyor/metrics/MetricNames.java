package dev.conveyor.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.Map;

/**
 * Every Conveyor metric, in one place. Micrometer names below; Prometheus renders them with the
 * {@code conveyor_} prefix, dots as underscores, {@code _total} on counters and {@code _seconds} on timers.
 */
public final class MetricNames {

    public static final String PREFIX = "conveyor";

    /** Counter {@code conveyor_tasks_submitted_total}{type}: tasks accepted by the producer app or client. */
    public static final String TASKS_SUBMITTED = PREFIX + ".tasks.submitted";
    /** Counter {@code conveyor_tasks_rejected_total}{reason}: submissions refused (bad input, overload, Kafka down). */
    public static final String TASKS_REJECTED = PREFIX + ".tasks.rejected";
    /** Counter {@code conveyor_tasks_processed_total}{type,outcome}: task attempts the processor finished. */
    public static final String TASKS_PROCESSED = PREFIX + ".tasks.processed";
    /** Timer {@code conveyor_task_processing_seconds}{type}: handler run time (histogram). */
    public static final String TASK_PROCESSING = PREFIX + ".task.processing";
    /**
     * Timer {@code conveyor_task_latency_seconds}{type,outcome}: from a task's submission to its terminal
     * result ({@code succeeded}, {@code failed}, {@code cancelled}), measured by the processor as it writes the
     * result; a histogram with fixed buckets from 5 ms to 1 h, for {@code histogram_quantile}.
     */
    public static final String TASK_LATENCY = PREFIX + ".task.latency";
    /**
     * Counter {@code conveyor_retries_scheduled_total}{tier,type}: failed attempts (of a task, or of a result's
     * delivery) sent to wait in a delay tier, by the tier's topic.
     */
    public static final String RETRIES_SCHEDULED = PREFIX + ".retries.scheduled";
    /** Counter {@code conveyor_results_notified_total}{channel,outcome}: result deliveries by the notifier. */
    public static final String RESULTS_NOTIFIED = PREFIX + ".results.notified";
    /**
     * Counter {@code conveyor_webhooks_blocked_total}{channel,rule}: deliveries the notifier refused to make
     * because of where they lead (the rule: {@code loopback}, {@code link-local}, {@code private}, ... or a
     * callback URL form such as {@code user-info}); each is dead-lettered as {@code DELIVERY_BLOCKED}.
     */
    public static final String WEBHOOKS_BLOCKED = PREFIX + ".webhooks.blocked";
    /** Counter {@code conveyor_records_dead_lettered_total}{topic,reason}: records written to the dead-letter topic. */
    public static final String RECORDS_DEAD_LETTERED = PREFIX + ".records.dead.lettered";
    /** Gauge {@code conveyor_consumer_in_flight}{group}: records taken from Kafka and not yet finished. */
    public static final String CONSUMER_IN_FLIGHT = PREFIX + ".consumer.in.flight";
    /** Gauge {@code conveyor_consumer_running}{group}: handlers running right now (at most {@code MAX_CONCURRENCY}). */
    public static final String CONSUMER_RUNNING = PREFIX + ".consumer.running";
    /** Gauge {@code conveyor_consumer_waiting_for_key}{group}: records in flight waiting for an earlier record of their key. */
    public static final String CONSUMER_WAITING_FOR_KEY = PREFIX + ".consumer.waiting.for.key";
    /** Gauge {@code conveyor_consumer_awaiting_acknowledgement}{group}: records handled whose outputs Kafka has not acknowledged yet. */
    public static final String CONSUMER_AWAITING_ACKNOWLEDGEMENT = PREFIX + ".consumer.awaiting.acknowledgement";
    /** Counter {@code conveyor_consumer_commits_total}{group}: offset commits sent. */
    public static final String CONSUMER_COMMITS = PREFIX + ".consumer.commits";
    /**
     * Counter {@code conveyor_http_responses_total}{route,status}: responses of an app's HTTP server, by the route
     * pattern matched ({@code /tasks/{id}}; {@code unmatched} for none) and status code.
     */
    public static final String HTTP_RESPONSES = PREFIX + ".http.responses";
    /**
     * Gauge {@code conveyor_consumer_lag}{group,topic}: records of the topic the group has not committed
     * yet, summed over partitions. The group's value, exported by each of its instances.
     */
    public static final String CONSUMER_LAG = PREFIX + ".consumer.lag";
    /**
     * Gauge {@code conveyor_queue_latency_seconds}{group,topic}: how long the oldest record the group has not
     * committed has waited to be processed (since it was written, or since it became due in a delay tier),
     * the maximum over partitions; 0 when nothing waits. The group's value, exported by each of its instances.
     */
    public static final String QUEUE_LATENCY = PREFIX + ".queue.latency";
    /** Gauge {@code conveyor_consumer_group_members}{group}: members of the consumer group, as the broker sees them. */
    public static final String CONSUMER_GROUP_MEMBERS = PREFIX + ".consumer.group.members";
    /**
     * Counter {@code conveyor_events_unwritten_total}{kind}: lifecycle events written on their own
     * ({@code QUEUED}, {@code STARTED}, {@code REPLAYED}) that Kafka did not accept; the view misses that step.
     */
    public static final String EVENTS_UNWRITTEN = PREFIX + ".events.unwritten";

    public static final String TAG_TYPE = "type";
    public static final String TAG_KIND = "kind";
    public static final String TAG_OUTCOME = "outcome";
    public static final String TAG_REASON = "reason";
    public static final String TAG_CHANNEL = "channel";
    public static final String TAG_TOPIC = "topic";
    public static final String TAG_GROUP = "group";
    public static final String TAG_RULE = "rule";
    public static final String TAG_TIER = "tier";
    public static final String TAG_ROUTE = "route";
    public static final String TAG_STATUS = "status";

    /** The help text of each metric, for the Prometheus {@code # HELP} line. */
    private static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
            Map.entry(TASKS_SUBMITTED, "tasks accepted by the producer app or client"),
            Map.entry(TASKS_REJECTED, "submissions refused (bad input, overload, Kafka down)"),
            Map.entry(TASKS_PROCESSED, "task attempts the processor finished"),
            Map.entry(TASK_PROCESSING, "handler run time"),
            Map.entry(TASK_LATENCY, "from a task's submission to its terminal result"),
            Map.entry(RETRIES_SCHEDULED, "failed attempts sent to wait in a delay tier"),
            Map.entry(RESULTS_NOTIFIED, "result deliveries by the notifier"),
            Map.entry(WEBHOOKS_BLOCKED, "deliveries refused because of where they lead"),
            Map.entry(RECORDS_DEAD_LETTERED, "records written to the dead-letter topic"),
            Map.entry(CONSUMER_IN_FLIGHT, "records taken from Kafka and not yet finished"),
            Map.entry(CONSUMER_RUNNING, "handlers running right now"),
            Map.entry(CONSUMER_WAITING_FOR_KEY, "records in flight waiting for an earlier record of their key"),
            Map.entry(CONSUMER_AWAITING_ACKNOWLEDGEMENT, "records handled whose outputs Kafka has not acknowledged yet"),
            Map.entry(CONSUMER_COMMITS, "offset commits sent"),
            Map.entry(HTTP_RESPONSES, "HTTP responses by route pattern and status"),
            Map.entry(CONSUMER_LAG, "records the consumer group has not committed yet (the group's value)"),
            Map.entry(QUEUE_LATENCY, "how long the oldest record the group has not committed has waited (the group's value)"),
            Map.entry(CONSUMER_GROUP_MEMBERS, "members of the consumer group (the group's value)"),
            Map.entry(EVENTS_UNWRITTEN, "lifecycle events Kafka did not accept"));

    /**
     * Gives every catalogued meter registered without a description its help text from here, so the
     * exposition has a {@code # HELP} line for each ({@code promtool check metrics} asks for one).
     */
    public static MeterFilter descriptions() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                String description = DESCRIPTIONS.get(id.getName());
                return description == null || id.getDescription() != null ? id
                        : new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), description, id.getType());
            }
        };
    }

    private MetricNames() {
    }
}
