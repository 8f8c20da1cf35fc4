package dev.conveyor.security;

import dev.conveyor.ConfigException;
import dev.conveyor.Env;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

/**
 * A trust store or key store file, read from {@code <variable>_LOCATION}, {@code <variable>_PASSWORD}
 * (or {@code _PASSWORD_FILE}) and {@code <variable>_TYPE}. A PKCS12 or JKS store is opened here, so a
 * wrong password is a start-up error naming {@code <variable>_PASSWORD} rather than a failure inside
 * the first Kafka client or registry call.
 *
 * @param variable common prefix of the store's environment variables, e.g. {@code KAFKA_SSL_TRUSTSTORE}; errors name them
 * @param location the file
 * @param password the store password; null for PEM, optional for a PKCS12 or JKS trust store
 * @param type     the file's format
 */
public record StoreSettings(String variable, Path location, Secret password, StoreType type) {

    public static final String LOCATION = "_LOCATION";
    public static final String PASSWORD = "_PASSWORD";
    public static final String TYPE = "_TYPE";
    public static final StoreType DEFAULT_TYPE = StoreType.PKCS12;

    public StoreSettings {
        Objects.requireNonNull(variable, "variable");
        if (location == null || !Files.isRegularFile(location) || !Files.isReadable(location)) {
            throw new ConfigException(variable + LOCATION, "'" + location + "' is not a readable file");
        }
        type = type == null ? DEFAULT_TYPE : type;
        if (type == StoreType.PEM && password != null) {
            throw new ConfigException(variable + PASSWORD, "a PEM file has no store password: leave it unset");
        }
        if (type != StoreType.PEM) {
            openStore(variable, location, password, type);
        }
    }

    /** The store named by the variables under {@code variable}; empty when its location is not set. */
    public static Optional<StoreSettings> load(Env env, String variable) {
        Optional<String> location = env.find(variable + LOCATION);
        Optional<Secret> password = Secret.load(env, variable + PASSWORD);
        Optional<StoreType> type = env.find(variable + TYPE).map(t -> StoreType.parse(variable + TYPE, t));
        if (location.isEmpty()) {
            if (password.isPresent() || type.isPresent()) {
                throw new ConfigException(variable + LOCATION, "is required when " + variable + (password.isPresent() ? PASSWORD : TYPE)
                        + " is set");
            }
            return Optional.empty();
        }
        return Optional.of(new StoreSettings(variable, Path.of(location.get()), password.orElse(null), type.orElse(DEFAULT_TYPE)));
    }

    /** The store's certificates as a key store, for a JDK trust manager; a PEM file's certificates are read into one. */
    public KeyStore open() {
        if (type != StoreType.PEM) {
            return openStore(variable, location, password, type);
        }
        try (InputStream in = Files.newInputStream(location)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new ConfigException(variable + LOCATION, "'" + location + "' holds no PEM certificate");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("certificate-" + n++, certificate);
            }
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(variable + LOCATION, "cannot read '" + location + "' as PEM certificates: " + e.getMessage());
        }
    }

    private static KeyStore openStore(String variable, Path location, Secret password, StoreType type) {
        try (InputStream in = Files.newInputStream(location)) {
            KeyStore store = KeyStore.getInstance(type.name());
            store.load(in, password == null ? null : password.value().toCharArray());
            return store;
        } catch (IOException | GeneralSecurityException e) {
            // a wrong password shows as an IOException whose cause is an UnrecoverableKeyException
            throw new ConfigException(password == null ? variable + LOCATION : variable + PASSWORD,
                    "cannot open '" + location + "' as " + type + ": " + e.getMessage());
        }
    }
}
