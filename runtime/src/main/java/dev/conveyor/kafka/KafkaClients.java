package dev.conveyor.kafka;

import dev.conveyor.internal.serde.AvroSerdes;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Makes the Kafka clients every app uses, configured once: the cluster's connection and security
 * settings ({@link ClusterConfig#clientProperties()}), Avro values in Confluent wire format
 * through the registry, idempotent {@code acks=all} producers, consumers on the new rebalance protocol
 * that never auto-commit. Each client reports its metrics to the app's registry. Closing this closes
 * the shared admin client only; apps close the producers and consumers they asked for.
 */
public final class KafkaClients implements AutoCloseable {

    /**
     * Batching chosen for throughput at low latency. One millisecond, not Kafka's default five: every
     * task crosses two producers, and at a steady few thousand tasks/s a partition's batch rarely fills,
     * so each hop waits out the whole linger. Under load batches still fill while earlier requests are
     * in flight.
     */
    public static final int DEFAULT_LINGER_MS = 1;
    public static final int DEFAULT_BATCH_SIZE = 128 * 1024;
    public static final String DEFAULT_COMPRESSION = "lz4";
    /**
     * One produce request in flight per connection: records sent while it travels wait for it and go
     * out together in the next, so under load requests grow instead of multiplying, and at a trickle
     * a record waits at most one round trip. The broker's cost is mostly per request (one request
     * per batch of partitions, whatever its size), so fewer, larger requests carry more records per
     * unit of the broker's CPU.
     */
    public static final int DEFAULT_MAX_IN_FLIGHT_REQUESTS = 1;
    /**
     * The largest record a producer sends ({@code max.request.size}): Kafka's default, set here by name
     * because the outcome router measures results against it before sending, so a result the producer
     * would refuse fails its task ({@code OUTPUT_TOO_LARGE}) instead of being redone for ever.
     */
    public static final int MAX_REQUEST_BYTES = 1024 * 1024;

    private final ClusterConfig cluster;
    private final PrometheusMeterRegistry meterRegistry;
    private final List<KafkaClientMetrics> clientMetrics = new ArrayList<>();
    private Admin admin;

    public KafkaClients(ClusterConfig cluster, PrometheusMeterRegistry meterRegistry) {
        this.cluster = cluster;
        this.meterRegistry = meterRegistry;
    }

    /**
     * Clients for {@code cluster} reporting to a fresh Prometheus registry, with the JVM's own metrics.
     * Checks first that Kafka and the registry accept the configured credentials and certificates
     * ({@link KafkaAccessCheck}, {@link RegistryAccessCheck}): a refused login or TLS handshake is a
     * {@link dev.conveyor.ConfigException} naming the setting; an unreachable broker or registry is not
     * an error here.
     */
    public static KafkaClients connect(ClusterConfig cluster) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(dev.conveyor.metrics.MetricNames.descriptions());
        KafkaClients clients = new KafkaClients(cluster, registry);
        try {
            KafkaAccessCheck.verify(clients.admin(), cluster);
            RegistryAccessCheck.verify(cluster);
        } catch (RuntimeException e) {
            clients.close();
            throw e;
        }
        new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
        io.micrometer.core.instrument.binder.jvm.JvmGcMetrics gc = new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics();
        gc.bindTo(registry);
        clients.closeWithClients(gc);
        return clients;
    }

    private final List<AutoCloseable> alsoClose = new ArrayList<>();

    private synchronized void closeWithClients(AutoCloseable closeable) {
        alsoClose.add(closeable);
    }


    /** The app's metrics, served at {@code GET /metrics}. */
    public PrometheusMeterRegistry meters() {
        return meterRegistry;
    }

    public ClusterConfig cluster() {
        return cluster;
    }

    /** An idempotent, {@code acks=all} producer of Avro values; overrides win over the defaults, not over the cluster's settings. */
    public <V extends SpecificRecord> Producer<String, V> producer(String clientId, Map<String, Object> overrides) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, DEFAULT_LINGER_MS);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, DEFAULT_BATCH_SIZE);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, DEFAULT_COMPRESSION);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, DEFAULT_MAX_IN_FLIGHT_REQUESTS);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_BYTES);
        props.putAll(overrides);
        props.putAll(cluster.clientProperties());
        KafkaProducer<String, V> producer = new KafkaProducer<>(props, new StringSerializer(), AvroSerdes.serializer(cluster));
        bind(new KafkaClientMetrics(producer));
        return producer;
    }

    /**
     * A consumer of raw value bytes: values are decoded by the caller so that a record that cannot be
     * decoded is dead-lettered instead of failing the whole poll.
     */
    public Consumer<String, byte[]> consumer(String groupId, String clientId, Map<String, Object> overrides) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        // a partition resumed after a delay-tier pause joins the next fetch: do not let an idle
        // long-poll of the other partitions hold it back for the default 500 ms
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        // per-topic ranges: every member gets its share of tasks (or results), not just of the
        // partitions of all subscribed topics together, which could leave a member only delay tiers
        props.put(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, "range");
        props.putAll(overrides);
        props.putAll(cluster.clientProperties());
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        bind(new KafkaClientMetrics(consumer));
        return consumer;
    }

    /** Decodes values of one topic into its SpecificRecord class through the registry. */
    public <V extends SpecificRecord> Deserializer<V> valueDeserializer(TopicDescriptor<V> topic) {
        return AvroSerdes.deserializer(cluster);
    }

    public synchronized Admin admin() {
        if (admin == null) {
            Map<String, Object> props = new HashMap<>(cluster.clientProperties());
            props.put(AdminClientConfig.CLIENT_ID_CONFIG, "conveyor-admin");
            props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
            props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
            AdminClient created = AdminClient.create(props);
            admin = created;
            bind(new KafkaClientMetrics(created));
        }
        return admin;
    }

    private synchronized void bind(KafkaClientMetrics metrics) {
        metrics.bindTo(meterRegistry);
        clientMetrics.add(metrics);
    }

    @Override
    public synchronized void close() {
        clientMetrics.forEach(KafkaClientMetrics::close);
        clientMetrics.clear();
        for (AutoCloseable closeable : alsoClose) {
            try {
                closeable.close();
            } catch (Exception e) {
                // a metrics binder failing to close must not keep the clients open
            }
        }
        alsoClose.clear();
        if (admin != null) {
            admin.close();
            admin = null;
        }
    }
}
