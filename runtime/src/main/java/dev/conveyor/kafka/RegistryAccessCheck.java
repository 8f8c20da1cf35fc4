package dev.conveyor.kafka;

import dev.conveyor.ConfigException;
import dev.conveyor.security.RegistrySecurity;
import dev.conveyor.security.StoreSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one page of the registry's artifact search at start-up, an operation that needs a login where
 * the registry requires one: a refused login or TLS handshake stops the app at once with the setting's
 * name, instead of failing every record's encoding later. An unreachable registry is not an error here.
 */
final class RegistryAccessCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(RegistryAccessCheck.class);

    private RegistryAccessCheck() {
    }

    static void verify(ClusterConfig cluster) {
        RegistrySecurity security = cluster.registrySecurity();
        URI search = URI.create(cluster.registryApiUrl() + "/search/artifacts?limit=1");
        try (HttpClient http = security.httpClient(TIMEOUT)) {
            HttpResponse<Void> response = http.send(security.authorize(HttpRequest.newBuilder(search).timeout(TIMEOUT)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            ConfigException refused = explain(response.statusCode(), cluster);
            if (refused != null) {
                throw refused;
            }
        } catch (SSLException e) {
            throw explain(e, cluster);
        } catch (IOException e) {
            LOG.warn("the schema registry at {} does not answer yet ({}); starting without checking its connection settings",
                    cluster.schemaRegistryUrl(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the connection to the registry", e);
        }
    }

    /** A refusal of the login as the setting to look at; null for any other answer. */
    static ConfigException explain(int status, ClusterConfig cluster) {
        RegistrySecurity security = cluster.registrySecurity();
        String where = "the schema registry at " + cluster.schemaRegistryUrl();
        if (status == 401) {
            return security.username() == null
                    ? new ConfigException(RegistrySecurity.USERNAME, where + " requires a login (HTTP 401): set "
                    + RegistrySecurity.USERNAME + " and " + RegistrySecurity.PASSWORD)
                    : new ConfigException(RegistrySecurity.PASSWORD, where + " refused the login of user '" + security.username()
                    + "' (HTTP 401): check " + RegistrySecurity.USERNAME + " and " + RegistrySecurity.PASSWORD);
        }
        if (status == 403) {
            return new ConfigException(RegistrySecurity.USERNAME, where + " does not let user '" + security.username()
                    + "' read artifacts (HTTP 403): give it a role that may read and write schemas");
        }
        return null;
    }

    static ConfigException explain(SSLException failure, ClusterConfig cluster) {
        String where = "the schema registry at " + cluster.schemaRegistryUrl();
        if (TlsFailures.certificateRefusal(failure).isPresent()) {
            return new ConfigException(RegistrySecurity.TRUSTSTORE + StoreSettings.LOCATION, "the TLS handshake with " + where
                    + " failed: its certificate is not trusted, or does not name its host; the trust store must hold the CA "
                    + "that signed it (" + failure.getMessage() + ")");
        }
        return new ConfigException(ClusterConfig.SCHEMA_REGISTRY_URL, "the TLS handshake with " + where + " failed: "
                + failure.getMessage() + "; check that the registry serves https at this address");
    }
}
