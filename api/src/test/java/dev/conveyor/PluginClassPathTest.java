package dev.conveyor;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A plugin author compiles against this module alone: the engine's libraries must not leak onto that path. */
class PluginClassPathTest {

    @Test
    void givenThePluginApiThenKafkaJavalinAndTheRegistryClientAreNotOnItsClassPath() {
        for (String engineClass : new String[] {
                "org.apache.kafka.clients.producer.Producer",
                "io.javalin.Javalin",
                "io.apicurio.registry.serde.avro.AvroKafkaSerializer",
                "dev.conveyor.TaskConsumer"}) {
            assertThatThrownBy(() -> Class.forName(engineClass)).as(engineClass).isInstanceOf(ClassNotFoundException.class);
        }
    }
}
