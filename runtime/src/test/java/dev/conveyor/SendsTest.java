package dev.conveyor;

import dev.conveyor.kafka.Sends;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class SendsTest {

    final MockProducer<String, String> producer = new MockProducer<>(false, null, new StringSerializer(), new StringSerializer());

    @Test
    void givenAcknowledgementsThenEveryFutureCompletesOffTheThreadThatAcknowledged() {
        // given
        List<CompletableFuture<RecordMetadata>> sent = new ArrayList<>();
        List<Thread> completedOn = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < 100; i++) {
            CompletableFuture<RecordMetadata> acked = Sends.send(producer, new ProducerRecord<>("t", "k" + i, "v" + i));
            acked.thenRun(() -> completedOn.add(Thread.currentThread()));
            sent.add(acked);
        }

        // when: the "network thread" (here the test's) acknowledges them all
        while (producer.completeNext()) {
            // next
        }

        // then
        await().atMost(Duration.ofSeconds(5)).until(() -> sent.stream().allMatch(CompletableFuture::isDone));
        assertThat(sent).allMatch(f -> !f.isCompletedExceptionally());
        assertThat(completedOn).hasSize(100).doesNotContain(Thread.currentThread());
    }

    @Test
    void givenARefusedSendThenItsFutureFailsWithTheBrokersError() {
        // given
        CompletableFuture<RecordMetadata> acked = Sends.send(producer, new ProducerRecord<>("t", "k", "v"));

        // when
        producer.errorNext(new IllegalStateException("refused"));

        // then
        await().atMost(Duration.ofSeconds(5)).until(acked::isDone);
        assertThat(acked).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
                .withMessageContaining("refused");
    }

    @Test
    void givenAContinuationThatSendsAgainThenBothComplete() {
        // given: a continuation that sends from the completing thread, which must not be the acknowledging one
        CompletableFuture<RecordMetadata> second = new CompletableFuture<>();
        Sends.send(producer, new ProducerRecord<>("t", "k", "first"))
                .thenCompose(m -> Sends.send(producer, new ProducerRecord<>("t", "k", "second")))
                .whenComplete((m, e) -> second.complete(m));

        // when
        producer.completeNext();
        await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 2);
        producer.completeNext();

        // then
        await().atMost(Duration.ofSeconds(5)).until(second::isDone);
        assertThat(second.join()).isNotNull();
    }

    @Test
    void givenEveryCarrierThreadBusyWithHandlerCodeThenAcknowledgementsStillComplete() throws InterruptedException {
        // given: as many virtual threads as the scheduler has carriers, each running code that does not yield
        // (a busy handler under load): a virtual thread queued behind them would not run until they do
        int carriers = Integer.getInteger("jdk.virtualThreadScheduler.parallelism", Runtime.getRuntime().availableProcessors());
        CompletableFuture<RecordMetadata> acked = Sends.send(producer, new ProducerRecord<>("t", "k", "v"));
        java.util.concurrent.CountDownLatch allSpinning = new java.util.concurrent.CountDownLatch(carriers);
        java.util.concurrent.atomic.AtomicBoolean release = new java.util.concurrent.atomic.AtomicBoolean();
        List<Thread> busy = new ArrayList<>();
        for (int i = 0; i < carriers; i++) {
            busy.add(Thread.ofVirtual().start(() -> {
                allSpinning.countDown();
                while (!acked.isDone() && !release.get()) {
                    Thread.onSpinWait();
                }
            }));
        }
        try {
            assertThat(allSpinning.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

            // when
            producer.completeNext();

            // then: completed while the carriers were still taken, which ends the busy threads
            await().atMost(Duration.ofSeconds(10)).until(acked::isDone);
            assertThat(acked).isCompleted();
        } finally {
            release.set(true);
            for (Thread thread : busy) {
                thread.join();
            }
        }
    }
}
