package dev.conveyor.notifier;

import java.util.concurrent.Executor;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.http.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.HttpCookieStore;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Builds the HTTP client webhooks go through: every connection through the given resolver (the
 * address policy), no redirects followed, no proxy, no cookies, no compressed answers (a small gzip
 * body can expand past the answer cap), and TLS that checks the certificate against the host name.
 */
final class WebhookHttpClient {

    static final String USER_AGENT = "Conveyor-Notifier";
    /** Connections to one receiver at once; attempts beyond wait for one, within their timeout. */
    static final int MAX_CONNECTIONS_PER_RECEIVER = 256;
    /** Attempts waiting for a connection to one receiver; beyond, an attempt fails at once and is retried later. */
    static final int MAX_QUEUED_PER_RECEIVER = 4096;
    /** How long an idle pooled connection stays open. */
    static final long IDLE_TIMEOUT_MILLIS = 30_000;

    private WebhookHttpClient() {
    }

    /**
     * A started client.
     *
     * @param tls {@link SslContextFactory.Client} with the trust to use; its host name check is turned on here
     */
    static HttpClient start(WebhookSettings settings, SocketAddressResolver resolver, SslContextFactory.Client tls) {
        tls.setEndpointIdentificationAlgorithm("HTTPS");
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(tls);
        HttpClient http = new HttpClient(new HttpClientTransportOverHTTP(connector));
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("webhook-client");
        http.setExecutor(threads);
        http.setSocketAddressResolver(resolver);
        http.setFollowRedirects(false);
        http.setConnectTimeout(settings.connectTimeout().toMillis());
        http.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
        http.setMaxConnectionsPerDestination(MAX_CONNECTIONS_PER_RECEIVER);
        http.setMaxRequestsQueuedPerDestination(MAX_QUEUED_PER_RECEIVER);
        http.setCookieStore(new HttpCookieStore.Empty());
        http.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, USER_AGENT));
        http.getContentDecoderFactories().clear();
        // redirects, authentication challenges and 100-continue: a webhook is one POST and its answer
        http.getProtocolHandlers().clear();
        try {
            http.start();
        } catch (Exception e) {
            throw new IllegalStateException("the webhook HTTP client did not start", e);
        }
        return http;
    }

    /** An executor that runs each task on a new virtual thread named {@code name}. */
    static Executor virtualThreads(String name) {
        java.util.concurrent.ThreadFactory factory = Thread.ofVirtual().name(name).factory();
        return task -> factory.newThread(task).start();
    }
}
