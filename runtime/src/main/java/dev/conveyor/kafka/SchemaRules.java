package dev.conveyor.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conveyor.security.RegistrySecurity;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts every value subject ({@code <topic>-value}, as the serdes name them) under the registry's
 * {@code COMPATIBILITY=BACKWARD} rule, registering the current schema first where the subject is new:
 * a schema change that readers of the subject could not follow is then refused by the registry
 * instead of reaching them. A subject that already has a compatibility rule keeps it (an operator may
 * have chosen a stricter one). The build checks the same rule against {@code schemas/released}.
 */
public final class SchemaRules {

    /** The registry group the serdes register into. */
    public static final String GROUP = "default";
    public static final String RULE = "BACKWARD";
    private static final Logger LOG = LoggerFactory.getLogger(SchemaRules.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String api;
    private final RegistrySecurity security;
    private final HttpClient http;

    public SchemaRules(ClusterConfig cluster) {
        this.api = cluster.registryApiUrl();
        this.security = cluster.registrySecurity();
        this.http = security.httpClient(TIMEOUT);
    }

    /** As {@link #ensure}, off the start-up path: readers need no rule to start, and a failure is only logged. */
    public CompletableFuture<Void> ensureInBackground(Collection<TopicDescriptor<?>> topics) {
        return CompletableFuture.runAsync(() -> {
            try {
                ensure(topics);
            } catch (RuntimeException e) {
                LOG.error("could not put the value schemas of {} under the {} rule: {}", topics.stream().map(TopicDescriptor::name).toList(),
                        RULE, e.getMessage());
            }
        }, task -> Thread.ofVirtual().name("schema-rules").start(task));
    }

    /** Registers each topic's value schema if its subject is new and gives the subject the BACKWARD rule if it has none. */
    public void ensure(Collection<TopicDescriptor<?>> topics) {
        for (TopicDescriptor<?> topic : topics) {
            String subject = topic.name() + "-value";
            register(subject, SpecificData.get().getSchema(topic.valueType()).toString());
            addRule(subject);
        }
    }

    /** The subject's compatibility rule, or null when it has none. */
    public String ruleOf(String subject) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/groups/" + GROUP + "/artifacts/" + encode(subject)
                + "/rules/COMPATIBILITY")).GET());
        if (response.statusCode() == 404) {
            return null;
        }
        expect(response, 200, "read the compatibility rule of " + subject);
        try {
            return JSON.readTree(response.body()).path("config").asText();
        } catch (IOException e) {
            throw new IllegalStateException("the registry's rule of " + subject + " is not JSON: " + response.body(), e);
        }
    }

    private void register(String subject, String schema) {
        ObjectNode body = JSON.createObjectNode().put("artifactId", subject).put("artifactType", "AVRO");
        body.putObject("firstVersion").putObject("content").put("content", schema).put("contentType", "application/json");
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/groups/" + GROUP + "/artifacts?ifExists=FIND_OR_CREATE_VERSION&canonical=true"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        if (response.statusCode() == 409) {
            throw new IllegalStateException("the registry refuses this build's schema for " + subject + " under its rules, so records written "
                    + "with it could not be read by the subject's readers: " + response.body());
        }
        expect(response, 200, "register the schema of " + subject);
    }

    private void addRule(String subject) {
        String rule = JSON.createObjectNode().put("ruleType", "COMPATIBILITY").put("config", RULE).toString();
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/groups/" + GROUP + "/artifacts/" + encode(subject) + "/rules"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(rule)));
        if (response.statusCode() == 409) {
            return;
        }
        expect(response, 204, "add the " + RULE + " rule to " + subject);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(security.authorize(request.timeout(TIMEOUT)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("schema registry at " + api + " unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void expect(HttpResponse<String> response, int status, String what) {
        if (response.statusCode() != status && !(status == 204 && response.statusCode() == 200)) {
            throw new IllegalStateException("could not " + what + ": HTTP " + response.statusCode() + " " + response.body());
        }
    }

    private URI uri(String path) {
        return URI.create(api + path);
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8);
    }
}
