package dev.conveyor.dlq;

import dev.conveyor.deadletter.DeadLetterFilter;
import dev.conveyor.deadletter.DeadLetterStore;
import dev.conveyor.deadletter.StoredDeadLetter;
import dev.conveyor.kafka.ClusterConfig;
import dev.conveyor.Env;
import dev.conveyor.kafka.KafkaClients;
import dev.conveyor.schema.AttemptFailure;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code conveyor-dlq}: list, inspect, replay and purge dead letters on {@code tasks.dlq}. */
@Command(name = "conveyor-dlq", mixinStandardHelpOptions = true,
        description = "Lists, inspects, replays and purges Conveyor dead letters.",
        subcommands = {DeadLetterTool.ListCommand.class, DeadLetterTool.InspectCommand.class,
                DeadLetterTool.ReplayCommand.class, DeadLetterTool.PurgeCommand.class})
public final class DeadLetterTool {

    public static void main(String[] args) {
        System.exit(new CommandLine(new DeadLetterTool()).execute(args));
    }

    /**
     * Where Kafka and the registry are; defaults from the same environment variables as the apps, which
     * also give the security settings (KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_*, KAFKA_SSL_*, SCHEMA_REGISTRY_*).
     */
    static final class Connection {
        @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers (default: $KAFKA_BOOTSTRAP_SERVERS)")
        String bootstrapServers;

        @Option(names = "--registry-url", description = "schema registry base URL (default: $SCHEMA_REGISTRY_URL)")
        String registryUrl;

        KafkaClients clients() {
            return KafkaClients.connect(cluster(Env.system()));
        }

        ClusterConfig cluster(Env env) {
            ClusterConfig cluster = ClusterConfig.load(env);
            cluster = bootstrapServers == null ? cluster : cluster.withBootstrapServers(bootstrapServers);
            return registryUrl == null ? cluster : cluster.withSchemaRegistryUrl(registryUrl);
        }
    }

    /** Which letters: all criteria given must hold. */
    static final class Filters {
        @Option(names = "--type", description = "task type") String type;
        @Option(names = "--reason", description = "UNDECODABLE, UNKNOWN_TYPE, RETRIES_EXHAUSTED, NON_RETRYABLE, TIMEOUT") String reason;
        @Option(names = "--since", description = "failed at or after (ISO-8601 instant)") Instant since;
        @Option(names = "--until", description = "failed before (ISO-8601 instant)") Instant until;
        @Option(names = "--grep", description = "text in the error or failure history (case-insensitive)") String text;

        DeadLetterFilter filter(List<String> refs) {
            return new DeadLetterFilter(type, reason, since, until, text, refs == null ? Set.of() : Set.copyOf(refs));
        }
    }

    @Command(name = "list", description = "Lists dead letters, oldest first per partition.")
    static final class ListCommand implements Callable<Integer> {
        @Mixin Connection connection;
        @Mixin Filters filters;
        @Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (KafkaClients clients = connection.clients()) {
                List<StoredDeadLetter> letters = new DeadLetterStore(clients, "dlq-tool", Clock.systemUTC()).read(filters.filter(List.of()));
                out.printf("%-10s %-24s %-18s %-16s %-36s %s%n", "REF", "FAILED AT", "REASON", "TYPE", "TASK", "ERROR");
                for (StoredDeadLetter l : letters) {
                    String error = l.letter().getError() == null ? "" : l.letter().getError().replace('\n', ' ');
                    out.printf("%-10s %-24s %-18s %-16s %-36s %s%n", l.ref(), l.letter().getFailedAt(), l.letter().getReason(),
                            l.taskType(), l.taskId(), error.length() > 100 ? error.substring(0, 97) + "..." : error);
                }
                out.printf("%d dead letter(s)%n", letters.size());
            }
            return 0;
        }
    }

    @Command(name = "inspect", description = "Shows dead letters in full, by partition:offset.")
    static final class InspectCommand implements Callable<Integer> {
        @Mixin Connection connection;
        @Parameters(arity = "1..*", paramLabel = "REF", description = "partition:offset, as list shows") List<String> refs;
        @Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (KafkaClients clients = connection.clients()) {
                List<StoredDeadLetter> letters = new DeadLetterStore(clients, "dlq-tool", Clock.systemUTC()).read(new Filters().filter(refs));
                for (StoredDeadLetter l : letters) {
                    var letter = l.letter();
                    out.printf("dead letter %s (key %s)%n  reason:   %s%n  failedAt: %s%n  origin:   %s-%d@%d%n  error:    %s%n",
                            l.ref(), l.key(), letter.getReason(), letter.getFailedAt(), letter.getOriginalTopic(),
                            letter.getOriginalPartition(), letter.getOriginalOffset(), letter.getError());
                    if (letter.getRequest() != null) {
                        out.printf("  task:     %s type=%s key=%s payload=%s%n", letter.getRequest().getId(), letter.getRequest().getType(),
                                letter.getRequest().getKey(), letter.getRequest().getPayload());
                    } else if (letter.getOriginalValue() != null) {
                        out.printf("  value:    %d undecodable bytes: %s%n", letter.getOriginalValue().remaining(), l.originalValueHex());
                    }
                    l.headers().forEach((name, value) -> out.printf("  header:   %s=%s%n", name, value));
                    for (AttemptFailure f : letter.getHistory()) {
                        out.printf("  attempt %d at %s: %s%n", f.getAttempt(), f.getFailedAt(), f.getError());
                    }
                }
                if (letters.size() < refs.size()) {
                    spec.commandLine().getErr().printf("%d of %d refs were not found%n", refs.size() - letters.size(), refs.size());
                    return 1;
                }
            }
            return 0;
        }
    }

    @Command(name = "replay", description = "Sends matching (or the named) dead letters back to tasks as a fresh first attempt. Dry run unless --execute.")
    static final class ReplayCommand implements Callable<Integer> {
        @Mixin Connection connection;
        @Mixin Filters filters;
        @Parameters(arity = "0..*", paramLabel = "REF", description = "partition:offset; none means every matching letter") List<String> refs;
        @Option(names = "--max-attempts", description = "attempt limit of the replayed tasks (default: the processor's)") int maxAttempts;
        @Option(names = "--execute", description = "really send; without it, only report what would be sent") boolean execute;
        @Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try (KafkaClients clients = connection.clients()) {
                DeadLetterStore store = new DeadLetterStore(clients, "dlq-tool", Clock.systemUTC());
                List<StoredDeadLetter> matching = store.read(filters.filter(refs));
                List<StoredDeadLetter> replayable = matching.stream().filter(StoredDeadLetter::replayable).toList();
                for (StoredDeadLetter l : replayable) {
                    out.printf("%s %s task %s (%s)%n", execute ? "replaying" : "would replay", l.ref(), l.taskId(), l.taskType());
                }
                int skipped = matching.size() - replayable.size();
                if (skipped > 0) {
                    out.printf("skipping %d letter(s) that hold no task to replay (undecodable records, failed deliveries)%n", skipped);
                }
                if (!execute) {
                    out.printf("dry run: %d task(s) would be replayed; add --execute to send them%n", replayable.size());
                    return 0;
                }
                out.printf("replayed %d task(s) to tasks%n", store.replay(replayable, maxAttempts));
            }
            return 0;
        }
    }

    @Command(name = "purge", description = "Deletes dead letters that failed before a time (Kafka deletes a partition's oldest records only). Dry run unless --execute.")
    static final class PurgeCommand implements Callable<Integer> {
        @Mixin Connection connection;
        @Option(names = "--before", required = true, description = "delete letters that failed before this ISO-8601 instant") Instant before;
        @Option(names = "--execute", description = "really delete") boolean execute;
        @Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try (KafkaClients clients = connection.clients()) {
                DeadLetterStore store = new DeadLetterStore(clients, "dlq-tool", Clock.systemUTC());
                Map<TopicPartition, Long> upTo = store.purgePlan(before).upTo();
                upTo.forEach((partition, offset) -> out.printf("%s %s up to offset %d%n",
                        execute ? "purging" : "would purge", partition, offset));
                if (!execute) {
                    out.printf("dry run: %d partition(s) would be purged; add --execute to delete%n", upTo.size());
                    return 0;
                }
                store.purge(upTo);
                out.printf("purged %d partition(s)%n", upTo.size());
            }
            return 0;
        }
    }
}
