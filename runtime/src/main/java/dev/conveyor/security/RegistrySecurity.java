package dev.conveyor.security;

import dev.conveyor.ConfigException;
import dev.conveyor.Env;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * How the apps reach the schema registry over TLS and log in to it: {@code SCHEMA_REGISTRY_TRUSTSTORE_*}
 * for a registry whose certificate the JVM's CAs do not vouch for, {@code SCHEMA_REGISTRY_USERNAME} and
 * {@code SCHEMA_REGISTRY_PASSWORD} for HTTP basic authentication. Turned into the Apicurio serde
 * properties and into the JDK HTTP client the health check and schema rules use.
 *
 * @param truststore {@code SCHEMA_REGISTRY_TRUSTSTORE_*}; null trusts the JVM's CAs
 * @param username   {@code SCHEMA_REGISTRY_USERNAME}; null sends no credentials
 * @param password   {@code SCHEMA_REGISTRY_PASSWORD} or the file named by {@code SCHEMA_REGISTRY_PASSWORD_FILE}
 */
public record RegistrySecurity(StoreSettings truststore, String username, Secret password) {

    public static final String TRUSTSTORE = "SCHEMA_REGISTRY_TRUSTSTORE";
    public static final String USERNAME = "SCHEMA_REGISTRY_USERNAME";
    public static final String PASSWORD = "SCHEMA_REGISTRY_PASSWORD";
    /** Apicurio serde keys (schema resolver 3.1: {@code SchemaResolverConfig}). */
    static final String SERDE_TRUSTSTORE_LOCATION = "apicurio.registry.tls.truststore.location";
    static final String SERDE_TRUSTSTORE_PASSWORD = "apicurio.registry.tls.truststore.password";
    static final String SERDE_TRUSTSTORE_TYPE = "apicurio.registry.tls.truststore.type";
    static final String SERDE_USERNAME = "apicurio.registry.auth.username";
    static final String SERDE_PASSWORD = "apicurio.registry.auth.password";
    /** Plain HTTP, no login: a local registry. */
    public static final RegistrySecurity NONE = new RegistrySecurity(null, null, null);

    public RegistrySecurity {
        username = username == null || username.isBlank() ? null : username.trim();
        if (username != null && password == null) {
            throw new ConfigException(PASSWORD, "is required when " + USERNAME + " is set (or " + PASSWORD + Secret.FILE_SUFFIX + ")");
        }
        if (username == null && password != null) {
            throw new ConfigException(USERNAME, "is required when " + PASSWORD + " is set");
        }
    }

    public static RegistrySecurity load(Env env) {
        return new RegistrySecurity(StoreSettings.load(env, TRUSTSTORE).orElse(null), env.find(USERNAME).orElse(null),
                Secret.load(env, PASSWORD).orElse(null));
    }

    /** The Apicurio serde (schema resolver) properties for TLS trust and basic authentication. */
    public Map<String, Object> serdeProperties() {
        Map<String, Object> props = new LinkedHashMap<>();
        if (truststore != null) {
            props.put(SERDE_TRUSTSTORE_LOCATION, truststore.location().toString());
            props.put(SERDE_TRUSTSTORE_TYPE, truststore.type().name());
            if (truststore.password() != null) {
                props.put(SERDE_TRUSTSTORE_PASSWORD, truststore.password().value());
            }
        }
        if (username != null) {
            props.put(SERDE_USERNAME, username);
            props.put(SERDE_PASSWORD, password.value());
        }
        return props;
    }

    /** A JDK HTTP client that trusts the registry's certificate. */
    public HttpClient httpClient(Duration connectTimeout) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(connectTimeout);
        if (truststore != null) {
            builder.sslContext(sslContext());
        }
        return builder.build();
    }

    /** Adds the basic-authentication header, when a login is configured. */
    public HttpRequest.Builder authorize(HttpRequest.Builder request) {
        if (username != null) {
            String credentials = username + ":" + password.value();
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return request;
    }

    private SSLContext sslContext() {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(truststore.open());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new ConfigException(TRUSTSTORE + StoreSettings.LOCATION, "cannot trust '" + truststore.location() + "': " + e.getMessage());
        }
    }
}
