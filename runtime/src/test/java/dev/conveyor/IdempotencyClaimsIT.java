package dev.conveyor;

import dev.conveyor.idempotency.IdempotencyClaims;
import dev.conveyor.kafka.ClusterConfig;
import dev.conveyor.kafka.KafkaClients;
import dev.conveyor.kafka.TopicConfig;
import dev.conveyor.kafka.TopicProvisioner;
import dev.conveyor.kafka.Topics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.conveyor.schema.IdempotencyClaim;
import dev.conveyor.stack.LocalStack;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IdempotencyClaimsIT {

    static KafkaClients clients;
    static Producer<String, IdempotencyClaim> producer;

    @BeforeAll
    static void start() {
        LocalStack stack = LocalStack.shared();
        clients = KafkaClients.connect(new ClusterConfig(stack.bootstrapServers(), stack.registryUrl()));
        new TopicProvisioner(clients.admin(), new TopicConfig(2, 2, 1, (short) 1, true)).ensure(Topics.ALL);
        producer = clients.producer("claims-test", Map.of());
    }

    @AfterAll
    static void stop() {
        producer.close();
        clients.close();
    }

    @Test
    void theViewAppliesAClaimAndClosingItReleasesTheRegistryClientItDecodedWith() throws Exception {
        // given a claim on the topic, sent first: the test's producer keeps a registry client of its own
        String key = "claims-" + UUID.randomUUID();
        Instant now = Instant.now();
        IdempotencyClaim claim = IdempotencyClaim.newBuilder().setIdempotencyKey(key).setTaskId("task-" + key)
                .setClaimedAt(now).setExpiresAt(now.plus(Duration.ofHours(1))).build();
        producer.send(new ProducerRecord<>(Topics.IDEMPOTENCY.name(), key, claim)).get();
        java.util.Set<Thread> before = RegistryClientThreads.alive();
        java.util.Set<Thread> ours = new java.util.HashSet<>();

        // when the view decodes it through the registry and is closed
        try (IdempotencyClaims claims = new IdempotencyClaims(clients, Clock.systemUTC())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> claims.ownerOf(key).isPresent());
            assertThat(claims.ownerOf(key)).contains("task-" + key);
            ours.addAll(RegistryClientThreads.startedSince(before));
            assertThat(ours).isNotEmpty();
        }

        // then the threads of the client it decoded with are gone
        await().atMost(Duration.ofSeconds(10)).until(() -> ours.stream().noneMatch(Thread::isAlive));
    }
}
