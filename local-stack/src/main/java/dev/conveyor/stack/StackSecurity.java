package dev.conveyor.stack;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * What the secure local stack runs with and what its clients need: the TLS files, the broker's
 * SCRAM users (created when its storage is formatted) and the registry's basic-auth user. Passwords
 * are random per start.
 *
 * @param tls              the CA, the servers' certificate, the client trust store
 * @param saslMechanism    the SASL mechanism of the broker's client listener
 * @param kafkaUser        the SCRAM user for clients
 * @param kafkaPassword    its password
 * @param brokerUser       the SCRAM user the broker talks to itself with (inter-broker listener)
 * @param brokerPassword   its password
 * @param registryUser     the registry's basic-auth user
 * @param registryPassword its password
 */
public record StackSecurity(StackTls tls, String saslMechanism, String kafkaUser, String kafkaPassword, String brokerUser,
                            String brokerPassword, String registryUser, String registryPassword) {

    public static final String SASL_MECHANISM = "SCRAM-SHA-512";
    private static final SecureRandom RANDOM = new SecureRandom();

    static StackSecurity generate(Path dir) {
        return new StackSecurity(StackTls.generate(dir), SASL_MECHANISM, "conveyor", newPassword(), "broker", newPassword(),
                "conveyor-registry", newPassword());
    }

    /** Hex: nothing that a JAAS line, a properties file or the storage tool's SCRAM syntax would need to escape. */
    static String newPassword() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The JAAS line of a SCRAM login. */
    static String scramLogin(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\"" + password + "\";";
    }

    @Override
    public String toString() {
        return "StackSecurity[" + tls + ", saslMechanism=" + saslMechanism + ", kafkaUser=" + kafkaUser + ", registryUser=" + registryUser + "]";
    }
}
