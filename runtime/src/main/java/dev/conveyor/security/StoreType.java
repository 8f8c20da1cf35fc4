package dev.conveyor.security;

import dev.conveyor.ConfigException;
import java.util.Arrays;
import java.util.Locale;

/** The format of a trust store or key store file. */
public enum StoreType {
    PKCS12,
    JKS,
    /** X.509 certificates (and, in a key store, the private key) as PEM text: no store password. */
    PEM;

    public static StoreType parse(String key, String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, "'" + text + "' is not one of " + Arrays.toString(values()));
        }
    }
}
