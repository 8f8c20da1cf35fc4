package dev.conveyor.notifier;

import static dev.conveyor.notifier.NotifierFixture.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.conveyor.schema.TaskResult;
import dev.conveyor.webhooks.WebhookSecret;
import dev.conveyor.webhooks.WebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Deliveries of a real notifier, signed with rotated and per-host secrets, captured byte for byte at
 * the receiver and verified by the Standard Webhooks library for Node, which nobody here wrote: the
 * real ones verify, a tampered body, a wrong secret and a stale timestamp do not.
 */
class WebhookSigningIT {

    static final SecureRandom RANDOM = new SecureRandom();
    /** The library's tolerance is five minutes: ten minutes later a delivery is stale. */
    static final long STALE_SECONDS = 600;

    static String current = WebhookSecret.generate(RANDOM).encoded();
    static String previous = WebhookSecret.generate(RANDOM).encoded();
    static String partner = WebhookSecret.generate(RANDOM).encoded();
    static NotifierFixture notifier;
    static CapturingReceiver receiver;
    static final Set<String> failOnce = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void start() {
        receiver = CapturingReceiver.start();
        // the first attempt of each task in failOnce is answered 503, so it is delivered again from a tier
        receiver.answerWith(request -> failOnce.remove(request.header("Conveyor-Task-Id")) ? 503 : 204);
        notifier = NotifierFixture.start(Map.of(
                "NOTIFIER_GROUP_ID", "webhook-signing-it",
                "NOTIFIER_CHANNELS", "webhook",
                // rotation: the current and the previous secret sign every webhook; "localhost" has a secret of its own
                WebhookSettings.SECRETS, current + "," + previous + ";localhost=" + partner,
                WebhookSettings.ALLOWED_NETWORKS, "127.0.0.1:" + receiver.port() + ",localhost:" + receiver.port()));
    }

    @AfterAll
    static void stop() {
        notifier.close();
        receiver.close();
    }

    @Test
    void givenRealDeliveriesWhenVerifiedByTheStandardWebhooksLibraryThenTheyVerifyAndForgeriesDoNot() throws Exception {
        // given results delivered at once, after a retry, and to a host with its own secret
        TaskResult once = result(receiver.url("/hooks/once"));
        TaskResult retried = result(receiver.url("/hooks/retried"));
        TaskResult ownSecret = result("http://localhost:" + receiver.port() + "/hooks/partner");
        failOnce.add(retried.getTaskId());
        List.of(once, retried, ownSecret).forEach(notifier::publish);
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.requestsFor(once.getTaskId()).size() == 1
                && receiver.requestsFor(retried.getTaskId()).size() == 2 && receiver.requestsFor(ownSecret.getTaskId()).size() == 1);
        CapturingReceiver.Request first = receiver.requestsFor(once.getTaskId()).getFirst();
        List<CapturingReceiver.Request> attempts = receiver.requestsFor(retried.getTaskId());
        CapturingReceiver.Request partners = receiver.requestsFor(ownSecret.getTaskId()).getFirst();

        // then the retry kept its webhook-id, with a timestamp of its own attempt
        assertThat(attempts.get(1).header("webhook-id")).isEqualTo(attempts.get(0).header("webhook-id"))
                .isNotEqualTo(first.header("webhook-id"));
        assertThat(Long.parseLong(attempts.get(1).header("webhook-timestamp")))
                .isGreaterThanOrEqualTo(Long.parseLong(attempts.get(0).header("webhook-timestamp")));
        assertThat(first.header("webhook-signature").split(" ")).as("one signature per active secret").hasSize(2);
        assertThat(partners.header("webhook-signature").split(" ")).hasSize(1);

        // when verified by the reference library for Node
        StandardWebhooksNode node = StandardWebhooksNode.install(Path.of("target", "standardwebhooks-node"));
        String stranger = WebhookSecret.generate(RANDOM).encoded();
        List<StandardWebhooksNode.Case> cases = new ArrayList<>();
        List<CapturingReceiver.Request> delivered = List.of(first, attempts.get(0), attempts.get(1));
        for (int i = 0; i < delivered.size(); i++) {
            CapturingReceiver.Request genuine = delivered.get(i);
            // a retry may fall in the same second as its first attempt: the request's place names it
            String name = genuine.path() + " #" + i + " at " + genuine.header("webhook-timestamp");
            cases.add(verifying("genuine, current secret: " + name, current, genuine, genuine.body(), 0));
            cases.add(verifying("genuine, previous secret: " + name, previous, genuine, genuine.body(), 0));
            cases.add(verifying("tampered body: " + name, current, genuine, tamper(genuine.body()), 0));
            cases.add(verifying("wrong secret: " + name, stranger, genuine, genuine.body(), 0));
            cases.add(verifying("host's secret on a default-secret delivery: " + name, partner, genuine, genuine.body(), 0));
            cases.add(verifying("stale timestamp: " + name, current, genuine, genuine.body(), STALE_SECONDS));
        }
        cases.add(verifying("genuine, host's own secret: partner", partner, partners, partners.body(), 0));
        cases.add(verifying("default secret on the host's delivery: partner", current, partners, partners.body(), 0));
        List<StandardWebhooksNode.Verdict> verdicts = node.verify(cases);

        // then
        System.out.printf("verified %d cases with %s %s on node %s%n", verdicts.size(), StandardWebhooksNode.PACKAGE,
                node.installedVersion(), node.nodeVersion());
        assertThat(node.installedVersion()).isEqualTo(StandardWebhooksNode.VERSION);
        Map<String, StandardWebhooksNode.Verdict> byName = verdicts.stream()
                .collect(Collectors.toMap(StandardWebhooksNode.Verdict::name, verdict -> verdict));
        assertThat(byName).hasSize(cases.size());
        byName.forEach((name, verdict) -> {
            if (name.startsWith("genuine")) {
                assertThat(verdict.verified()).as(name + ": " + verdict.error()).isTrue();
            } else {
                assertThat(verdict.verified()).as(name).isFalse();
            }
        });
        assertThat(byName.values()).filteredOn(v -> v.name().startsWith("stale"))
                .allSatisfy(v -> assertThat(v.error()).isEqualTo("Message timestamp too old"));
        assertThat(byName.values()).filteredOn(v -> v.name().startsWith("tampered") || v.name().startsWith("wrong"))
                .allSatisfy(v -> assertThat(v.error()).isEqualTo("No matching signature found"));

        // and our own verifier agrees on the genuine ones
        for (CapturingReceiver.Request genuine : List.of(first, attempts.get(0), attempts.get(1))) {
            assertThat(WebhookVerifier.of(previous).verify(genuine::header, genuine.body()).id()).isEqualTo(genuine.header("webhook-id"));
        }
        assertThat(WebhookVerifier.of(partner).verify(partners::header, partners.body()).id()).isEqualTo(partners.header("webhook-id"));
    }

    static StandardWebhooksNode.Case verifying(String name, String secret, CapturingReceiver.Request request, byte[] body, long clockShift) {
        Map<String, String> headers = Map.of(
                "webhook-id", request.header("webhook-id"),
                "webhook-timestamp", request.header("webhook-timestamp"),
                "webhook-signature", request.header("webhook-signature"));
        return new StandardWebhooksNode.Case(name, secret, headers, Base64.getEncoder().encodeToString(body), clockShift);
    }

    /** The same JSON with one value changed, as an attacker would forge it. */
    static byte[] tamper(byte[] body) {
        String json = new String(body, StandardCharsets.UTF_8);
        String forged = json.replace("\"status\":\"SUCCEEDED\"", "\"status\":\"FAILED\"");
        assertThat(forged).isNotEqualTo(json);
        return forged.getBytes(StandardCharsets.UTF_8);
    }
}
