package dev.conveyor.internal.serde;

import dev.conveyor.kafka.ClusterConfig;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Apicurio's Avro serdes, set up so every value is in Confluent wire format (magic byte 0, 4-byte
 * content id, Avro binary) under the Confluent subject naming {@code <topic>-value}, which is what
 * lets Confluent-style consumers read our topics through the registry's {@code /apis/ccompat/v7} API.
 */
public final class AvroSerdes {

    static final String REGISTRY_URL = "apicurio.registry.url";
    static final String AUTO_REGISTER = "apicurio.registry.auto-register";
    static final String CANONICALIZE = "apicurio.registry.canonicalize";
    static final String USE_SPECIFIC_READER = "apicurio.registry.use-specific-avro-reader";
    static final String DEREFERENCE = "apicurio.registry.dereference-schema";
    static final String DATUM_PROVIDER = "apicurio.registry.avro-datum-provider";
    static final String SCHEMA_RESOLVER = "apicurio.registry.schema-resolver";

    static {
        DecodingLimits.apply();
    }

    private AvroSerdes() {
    }

    public static Map<String, Object> config(ClusterConfig cluster) {
        Map<String, Object> config = new HashMap<>();
        config.put(REGISTRY_URL, cluster.registryApiUrl());
        config.put(AUTO_REGISTER, true);
        // the same schema text from any writer maps to one content id, so no duplicate versions
        config.put(CANONICALIZE, true);
        config.put(USE_SPECIFIC_READER, true);
        // register each value schema whole: otherwise every nested record or enum becomes its own
        // artifact referenced from it, which Confluent-style readers must chase, and the serializer
        // re-registers those references on every call (one registry round trip per record)
        config.put(DEREFERENCE, true);
        config.put(DATUM_PROVIDER, CachingAvroDatumProvider.class.getName());
        config.put(SCHEMA_RESOLVER, SchemaPerTopicResolver.class.getName());
        // TLS trust and basic authentication, from the one mapping of the registry settings
        config.putAll(cluster.registrySecurity().serdeProperties());
        return config;
    }

    public static <V> Serializer<V> serializer(ClusterConfig cluster) {
        AvroKafkaSerializer<V> serializer = new AvroKafkaSerializer<>();
        serializer.configure(config(cluster), false);
        return serializer;
    }

    public static <V> Deserializer<V> deserializer(ClusterConfig cluster) {
        AvroKafkaDeserializer<V> deserializer = new AvroKafkaDeserializer<>();
        deserializer.configure(config(cluster), false);
        return deserializer;
    }
}
