package dev.conveyor.security;

import dev.conveyor.ConfigException;
import dev.conveyor.Env;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * How the apps authenticate to Kafka and encrypt their connections: the {@code KAFKA_SECURITY_PROTOCOL},
 * {@code KAFKA_SASL_*} and {@code KAFKA_SSL_*} variables, turned into the client properties every
 * producer, consumer, admin client and Streams app gets.
 *
 * @param protocol      {@code KAFKA_SECURITY_PROTOCOL}
 * @param saslMechanism {@code KAFKA_SASL_MECHANISM}; null unless the protocol is a SASL one
 * @param username      {@code KAFKA_SASL_USERNAME}
 * @param password      {@code KAFKA_SASL_PASSWORD} or the file named by {@code KAFKA_SASL_PASSWORD_FILE}
 * @param truststore    {@code KAFKA_SSL_TRUSTSTORE_*}: the CA of the brokers' certificates; null trusts the JVM's CAs
 * @param keystore      {@code KAFKA_SSL_KEYSTORE_*}: a client certificate, for brokers that require mutual TLS
 * @param keyPassword   {@code KAFKA_SSL_KEY_PASSWORD}: the private key's password, where it differs from the store's
 */
public record KafkaSecurity(SecurityProtocol protocol, String saslMechanism, String username, Secret password,
                            StoreSettings truststore, StoreSettings keystore, Secret keyPassword) {

    public static final String SECURITY_PROTOCOL = "KAFKA_SECURITY_PROTOCOL";
    public static final String SASL_MECHANISM = "KAFKA_SASL_MECHANISM";
    public static final String SASL_USERNAME = "KAFKA_SASL_USERNAME";
    public static final String SASL_PASSWORD = "KAFKA_SASL_PASSWORD";
    public static final String TRUSTSTORE = "KAFKA_SSL_TRUSTSTORE";
    public static final String KEYSTORE = "KAFKA_SSL_KEYSTORE";
    public static final String KEY_PASSWORD = "KAFKA_SSL_KEY_PASSWORD";
    public static final SecurityProtocol DEFAULT_SECURITY_PROTOCOL = SecurityProtocol.PLAINTEXT;
    public static final String DEFAULT_SASL_MECHANISM = "SCRAM-SHA-512";
    public static final Set<String> SASL_MECHANISMS = Set.of("SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN");
    /** No authentication, no encryption: a local or development broker. */
    public static final KafkaSecurity PLAINTEXT = new KafkaSecurity(SecurityProtocol.PLAINTEXT, null, null, null, null, null, null);

    public KafkaSecurity {
        protocol = protocol == null ? DEFAULT_SECURITY_PROTOCOL : protocol;
        if (usesSasl(protocol)) {
            saslMechanism = saslMechanism == null ? DEFAULT_SASL_MECHANISM : saslMechanism.trim().toUpperCase(Locale.ROOT);
            if (!SASL_MECHANISMS.contains(saslMechanism)) {
                throw new ConfigException(SASL_MECHANISM, "'" + saslMechanism + "' is not one of " + SASL_MECHANISMS);
            }
            if (username == null || username.isBlank()) {
                throw new ConfigException(SASL_USERNAME, "is required with " + SECURITY_PROTOCOL + "=" + protocol);
            }
            if (password == null) {
                throw new ConfigException(SASL_PASSWORD, "is required with " + SECURITY_PROTOCOL + "=" + protocol
                        + " (or " + SASL_PASSWORD + Secret.FILE_SUFFIX + ")");
            }
        } else {
            // a login set for a protocol that never logs in is a forgotten KAFKA_SECURITY_PROTOCOL, not something to ignore
            rejectUnused(saslMechanism, SASL_MECHANISM, protocol, "does not log in");
            rejectUnused(username, SASL_USERNAME, protocol, "does not log in");
            rejectUnused(password, SASL_PASSWORD, protocol, "does not log in");
        }
        if (!usesTls(protocol)) {
            rejectUnused(truststore, TRUSTSTORE + StoreSettings.LOCATION, protocol, "does not use TLS");
            rejectUnused(keystore, KEYSTORE + StoreSettings.LOCATION, protocol, "does not use TLS");
        }
        if (keyPassword != null && keystore == null) {
            throw new ConfigException(KEY_PASSWORD, "is set, but " + KEYSTORE + StoreSettings.LOCATION + " is not");
        }
    }

    public static KafkaSecurity load(Env env) {
        SecurityProtocol protocol = env.find(SECURITY_PROTOCOL).map(KafkaSecurity::parseProtocol).orElse(DEFAULT_SECURITY_PROTOCOL);
        return new KafkaSecurity(protocol,
                env.find(SASL_MECHANISM).orElse(null),
                env.find(SASL_USERNAME).orElse(null),
                Secret.load(env, SASL_PASSWORD).orElse(null),
                StoreSettings.load(env, TRUSTSTORE).orElse(null),
                StoreSettings.load(env, KEYSTORE).orElse(null),
                Secret.load(env, KEY_PASSWORD).orElse(null));
    }

    /** SASL over TLS with the given login: what a production cluster asks for. */
    public static KafkaSecurity saslSsl(String mechanism, String username, Secret password, StoreSettings truststore) {
        return new KafkaSecurity(SecurityProtocol.SASL_SSL, mechanism, username, password, truststore, null, null);
    }

    /** The Kafka client properties for this protocol: merged into every client's configuration. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol.name);
        if (usesSasl(protocol)) {
            props.put(SaslConfigs.SASL_MECHANISM, saslMechanism);
            props.put(SaslConfigs.SASL_JAAS_CONFIG, jaasConfig());
        }
        if (truststore != null) {
            props.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, truststore.location().toString());
            props.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, truststore.type().name());
            if (truststore.password() != null) {
                props.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, truststore.password().value());
            }
        }
        if (keystore != null) {
            props.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, keystore.location().toString());
            props.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, keystore.type().name());
            if (keystore.password() != null) {
                props.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, keystore.password().value());
            }
            if (keyPassword != null) {
                props.put(SslConfigs.SSL_KEY_PASSWORD_CONFIG, keyPassword.value());
            }
        }
        return props;
    }

    public boolean usesSasl() {
        return usesSasl(protocol);
    }

    public boolean usesTls() {
        return usesTls(protocol);
    }

    private String jaasConfig() {
        String module = "PLAIN".equals(saslMechanism) ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        return module + " required username=\"" + quoted(username) + "\" password=\"" + quoted(password.value()) + "\";";
    }

    /** Kafka parses the JAAS text with a stream tokenizer: a backslash or quote inside a quoted value is escaped. */
    private static String quoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static SecurityProtocol parseProtocol(String text) {
        try {
            return SecurityProtocol.forName(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(SECURITY_PROTOCOL, "'" + text + "' is not one of " + Arrays.toString(SecurityProtocol.values()));
        }
    }

    private static void rejectUnused(Object value, String key, SecurityProtocol protocol, String why) {
        if (value != null) {
            throw new ConfigException(key, "is set, but " + SECURITY_PROTOCOL + "=" + protocol + " " + why);
        }
    }

    private static boolean usesSasl(SecurityProtocol protocol) {
        return protocol == SecurityProtocol.SASL_SSL || protocol == SecurityProtocol.SASL_PLAINTEXT;
    }

    private static boolean usesTls(SecurityProtocol protocol) {
        return protocol == SecurityProtocol.SSL || protocol == SecurityProtocol.SASL_SSL;
    }
}
