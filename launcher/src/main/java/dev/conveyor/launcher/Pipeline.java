package dev.conveyor.launcher;

import dev.conveyor.console.ConsoleApp;
import dev.conveyor.console.ConsoleConfig;
import dev.conveyor.Env;
import dev.conveyor.kafka.KafkaClients;
import dev.conveyor.notifier.NotifierApp;
import dev.conveyor.notifier.NotifierAppConfig;
import dev.conveyor.processor.HandlerRegistry;
import dev.conveyor.processor.ProcessorApp;
import dev.conveyor.producer.ProducerApp;
import java.util.HashMap;
import java.util.Map;

/**
 * The three apps wired against one broker and registry, each exactly as its own {@code main} would
 * build it from an environment, but in this JVM. Closing stops them in pipeline order.
 */
public final class Pipeline implements AutoCloseable {

    private final KafkaClients producerClients;
    private final KafkaClients processorClients;
    private final KafkaClients notifierClients;
    private final ProducerApp producer;
    private final ProcessorApp processor;
    private final NotifierApp notifier;
    private KafkaClients consoleClients;
    private ConsoleApp console;

    private Pipeline(KafkaClients producerClients, KafkaClients processorClients, KafkaClients notifierClients,
                     ProducerApp producer, ProcessorApp processor, NotifierApp notifier) {
        this.producerClients = producerClients;
        this.processorClients = processorClients;
        this.notifierClients = notifierClients;
        this.producer = producer;
        this.processor = processor;
        this.notifier = notifier;
    }

    /**
     * @param shared  variables every app gets (Kafka, registry, topic layout, ...)
     * @param ports   HTTP ports of the producer, processor and notifier apps (0 picks free ones), and of the
     *                console app when there is a fourth (it asks the producer app for task statuses)
     */
    public static Pipeline start(Map<String, String> shared, int[] ports) {
        Map<String, String> processorEnv = with(shared, ports[1]);
        KafkaClients processorClients = KafkaClients.connect(ProcessorApp.load(processorEnv).cluster());
        ProcessorApp processor = ProcessorApp.build(ProcessorApp.load(processorEnv), processorClients,
                HandlerRegistry.discover(Env.of(processorEnv)));

        Map<String, String> notifierEnv = with(shared, ports[2]);
        NotifierAppConfig notifierConfig = NotifierApp.load(notifierEnv);
        java.util.List<dev.conveyor.NotificationChannel> channels = NotifierApp.channels(notifierConfig, notifierEnv);
        KafkaClients notifierClients = KafkaClients.connect(notifierConfig.cluster());
        NotifierApp notifier = NotifierApp.build(notifierConfig, notifierClients, channels);

        Map<String, String> producerEnv = with(shared, ports[0]);
        KafkaClients producerClients = KafkaClients.connect(ProducerApp.load(producerEnv).cluster());
        ProducerApp producer = ProducerApp.build(ProducerApp.load(producerEnv), producerClients);
        Pipeline pipeline = new Pipeline(producerClients, processorClients, notifierClients, producer, processor, notifier);
        if (ports.length > 3) {
            Map<String, String> consoleEnv = with(shared, ports[3]);
            consoleEnv.put(ConsoleConfig.GATEWAY_URL, producer.url());
            ConsoleConfig consoleConfig = ConsoleApp.load(consoleEnv);
            pipeline.consoleClients = KafkaClients.connect(consoleConfig.cluster());
            pipeline.console = ConsoleApp.build(consoleConfig, pipeline.consoleClients);
        }
        return pipeline;
    }

    private static Map<String, String> with(Map<String, String> shared, int port) {
        Map<String, String> env = new HashMap<>(shared);
        env.put("HTTP_PORT", Integer.toString(port));
        return env;
    }

    public String producerUrl() {
        return producer.url();
    }

    public String processorUrl() {
        return processor.url();
    }

    public String notifierUrl() {
        return notifier.url();
    }

    /** The console's address, when the pipeline runs one. */
    public java.util.Optional<String> consoleUrl() {
        return java.util.Optional.ofNullable(console).map(ConsoleApp::url);
    }

    public ProducerApp producer() {
        return producer;
    }

    /** The console, then the producer so nothing new comes in, then the processor drains, then the notifier. */
    @Override
    public void close() {
        if (console != null) {
            console.close();
            consoleClients.close();
        }
        producer.close();
        processor.close();
        notifier.close();
        producerClients.close();
        processorClients.close();
        notifierClients.close();
    }
}
