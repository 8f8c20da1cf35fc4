package dev.conveyor.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class MetricNamesTest {

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    MetricNamesTest() {
        meters.config().meterFilter(MetricNames.descriptions());
    }

    @Test
    void givenACataloguedMeterWithoutADescriptionThenItGetsTheCataloguesHelpText() {
        Counter counter = Counter.builder(MetricNames.RETRIES_SCHEDULED).register(meters);

        assertThat(counter.getId().getDescription()).isEqualTo("failed attempts sent to wait in a delay tier");
    }

    @Test
    void givenADescriptionOfItsOwnThenItIsKept() {
        Counter counter = Counter.builder(MetricNames.RETRIES_SCHEDULED).description("own").register(meters);

        assertThat(counter.getId().getDescription()).isEqualTo("own");
    }

    @Test
    void givenAMeterOutsideTheCatalogueThenItIsLeftAlone() {
        assertThat(Counter.builder("other").register(meters).getId().getDescription()).isNull();
    }
}
