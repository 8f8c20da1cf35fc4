package dev.conveyor.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TraceparentTest {

    static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void givenTheSpecsExampleThenItsFieldsAreReadAndWrittenBackUnchanged() {
        // when
        Traceparent trace = Traceparent.parse(VALID).orElseThrow();

        // then
        assertThat(trace.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(trace.parentId()).isEqualTo("00f067aa0ba902b7");
        assertThat(trace.flags()).isEqualTo("01");
        assertThat(trace.sampled()).isTrue();
        assertThat(trace).hasToString(VALID);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0",         // too short
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",  // version 00 is exactly 55 characters
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",        // upper case
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",        // all-zero trace-id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",        // all-zero parent-id
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",        // version ff is invalid
        "0x-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",        // version not hex
        "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",        // wrong separator
        "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",        // not hex
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g",        // flags not hex
        "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",       // a later version's extra fields follow a dash
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\nX: y" // no header injection
    })
    void givenAMalformedHeaderThenItIsDiscarded(String header) {
        assertThat(Traceparent.parse(header)).isEmpty();
        assertThat(Traceparent.parseOrStart(header).traceId()).isNotEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void givenNoHeaderThenNothingIsReadAndANewTraceIsStarted() {
        assertThat(Traceparent.parse(null)).isEmpty();
        assertThat(Traceparent.parseOrStart(null).toString()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    }

    @Test
    void givenALaterVersionThenItsFirstFourFieldsAreReadAndPassedOnAsVersion00() {
        // when
        Traceparent trace = Traceparent.parse("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-holds").orElseThrow();

        // then
        assertThat(trace).hasToString(VALID);
    }

    @Test
    void givenNewTracesThenEachIsValidSampledAndDistinct() {
        Set<String> traceIds = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            // when
            Traceparent trace = Traceparent.start();

            // then
            assertThat(Traceparent.parse(trace.toString())).contains(trace);
            assertThat(trace.sampled()).isTrue();
            traceIds.add(trace.traceId());
        }
        assertThat(traceIds).hasSize(1_000);
    }
}
