package dev.conveyor.kafka;

import dev.conveyor.ConfigException;
import dev.conveyor.security.KafkaSecurity;
import dev.conveyor.security.StoreSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.UnsupportedSaslMechanismException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks Kafka for its brokers once at start-up, so that a broker refusing the login or the TLS handshake,
 * or a listener that speaks another protocol, stops the app at once with the setting's name. The Kafka
 * clients themselves would otherwise keep reconnecting, and the app would fail later and less clearly.
 * A broker that accepts no connection at all is not an error here (apps start without Kafka and report
 * it in {@code /health}); one that accepts the connection but never answers in the configured protocol is.
 */
final class KafkaAccessCheck {

    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);
    private static final int CONNECT_TIMEOUT_MS = 2_000;
    private static final Logger LOG = LoggerFactory.getLogger(KafkaAccessCheck.class);

    private KafkaAccessCheck() {
    }

    static void verify(Admin admin, ClusterConfig cluster) {
        if (!anyServerAcceptsConnections(cluster.bootstrapServers())) {
            LOG.warn("no Kafka broker accepts connections at {} yet; starting without checking the connection settings",
                    cluster.bootstrapServers());
            return;
        }
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) ANSWER_TIMEOUT.toMillis()))
                    .nodes().get(ANSWER_TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw explain(e.getCause(), cluster);
        } catch (java.util.concurrent.TimeoutException e) {
            throw explain(new org.apache.kafka.common.errors.TimeoutException("no answer"), cluster);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the connection to Kafka", e);
        }
    }

    /** What went wrong, as the setting to look at. */
    static RuntimeException explain(Throwable failure, ClusterConfig cluster) {
        KafkaSecurity security = cluster.kafkaSecurity();
        String where = "Kafka at " + cluster.bootstrapServers();
        if (failure instanceof SaslAuthenticationException) {
            return new ConfigException(KafkaSecurity.SASL_PASSWORD, where + " refused the " + security.saslMechanism() + " login of user '"
                    + security.username() + "': check " + KafkaSecurity.SASL_USERNAME + " and " + KafkaSecurity.SASL_PASSWORD
                    + " (" + failure.getMessage() + ")");
        }
        if (failure instanceof UnsupportedSaslMechanismException) {
            return new ConfigException(KafkaSecurity.SASL_MECHANISM, where + " does not offer " + security.saslMechanism()
                    + " (" + failure.getMessage() + ")");
        }
        if (failure instanceof SslAuthenticationException) {
            if (TlsFailures.certificateRefusal(failure).isPresent()) {
                return new ConfigException(KafkaSecurity.TRUSTSTORE + StoreSettings.LOCATION, "the TLS handshake with " + where
                        + " failed: the broker's certificate is not trusted, or does not name the host it was reached at; "
                        + "the trust store must hold the CA that signed it (" + TlsFailures.rootMessage(failure) + ")");
            }
            return new ConfigException(KafkaSecurity.SECURITY_PROTOCOL, "the TLS handshake with " + where + " failed: "
                    + TlsFailures.rootMessage(failure) + "; check that the listener at " + ClusterConfig.BOOTSTRAP_SERVERS + " speaks "
                    + security.protocol());
        }
        if (failure instanceof AuthenticationException) {
            return new ConfigException(KafkaSecurity.SECURITY_PROTOCOL, where + " refused the connection over "
                    + security.protocol() + ": " + failure.getMessage());
        }
        if (failure instanceof org.apache.kafka.common.errors.TimeoutException) {
            return new ConfigException(KafkaSecurity.SECURITY_PROTOCOL, where + " accepts connections but did not answer within "
                    + ANSWER_TIMEOUT.toSeconds() + " s over " + security.protocol() + ": "
                    + (security.usesTls() ? "check that its listener speaks " + security.protocol() + ", and"
                    : "its listener probably expects TLS (" + KafkaSecurity.SECURITY_PROTOCOL + "=SSL or SASL_SSL); otherwise check")
                    + " that " + ClusterConfig.BOOTSTRAP_SERVERS + " names the listener meant for clients");
        }
        return new IllegalStateException("could not check the connection to " + where + ": " + failure, failure);
    }

    private static boolean anyServerAcceptsConnections(String bootstrapServers) {
        for (String server : bootstrapServers.split(",")) {
            String hostPort = server.trim();
            int colon = hostPort.lastIndexOf(':');
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))),
                        CONNECT_TIMEOUT_MS);
                return true;
            } catch (IOException | IllegalArgumentException notThere) {
                // the next one, if any
            }
        }
        return false;
    }
}
