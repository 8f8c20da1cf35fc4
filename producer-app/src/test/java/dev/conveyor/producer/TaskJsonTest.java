package dev.conveyor.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TaskJsonTest {

    @Test
    void givenAFullTaskWhenParsedThenEveryFieldIsKept() {
        TaskSubmission s = parse("""
                {"type":"report.render","key":"k","payload":[1,{"a":true}],"callbackUrl":"https://x.example/cb",
                 "headers":{"h":"v"},"maxAttempts":7,"timeout":"PT30S"}""");

        assertThat(s.type()).isEqualTo("report.render");
        assertThat(s.key()).isEqualTo("k");
        assertThat(s.payload()).isEqualTo("[1,{\"a\":true}]");
        assertThat(s.callbackUrl()).isEqualTo("https://x.example/cb");
        assertThat(s.headers()).containsEntry("h", "v");
        assertThat(s.maxAttempts()).isEqualTo(7);
        assertThat(s.timeout()).isEqualTo(java.time.Duration.ofSeconds(30));
    }

    @Test
    void givenADelayWhenParsedThenTheRunTimeIsThatFarAhead() {
        java.time.Instant before = java.time.Instant.now();

        TaskSubmission s = parse("{\"type\":\"echo\",\"delay\":\"PT10M\"}");

        assertThat(s.runAt()).isBetween(before.plusSeconds(600), java.time.Instant.now().plusSeconds(600));
        java.time.Instant nextWeek = java.time.Instant.now().plus(java.time.Duration.ofDays(7)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        assertThat(parse("{\"type\":\"echo\",\"runAt\":\"" + nextWeek + "\"}").runAt()).isEqualTo(nextWeek);
    }

    @Test
    void givenOnlyATypeWhenParsedThenDefaultsApply() {
        TaskSubmission s = parse("{\"type\":\"echo\"}");

        assertThat(s.key()).isNull();
        assertThat(s.payload()).isEqualTo("{}");
        assertThat(s.headers()).isEmpty();
        assertThat(s.maxAttempts()).isNull();
    }

    @Test
    void givenMalformedFieldsWhenParsedThenTheErrorNamesTheField() {
        assertThatThrownBy(() -> parse("{\"type\":\"echo\",\"headers\":{\"n\":1}}")).hasMessageStartingWith("headers.n:");
        assertThatThrownBy(() -> parse("{\"type\":\"echo\",\"headers\":[]}")).hasMessageStartingWith("headers:");
        assertThatThrownBy(() -> parse("{\"type\":\"echo\",\"maxAttempts\":1.5}")).hasMessageStartingWith("maxAttempts:");
        assertThatThrownBy(() -> parse("{\"type\":\"echo\",\"key\":\"\"}")).hasMessageStartingWith("key:");
        assertThatThrownBy(() -> parse("{\"type\":\"a..b\"}")).hasMessageStartingWith("type:");
        assertThatThrownBy(() -> parse("{\"type\":\"" + "a".repeat(129) + "\"}")).hasMessageStartingWith("type:");
        assertThatThrownBy(() -> parse("")).hasMessageStartingWith("body:");
        assertThatThrownBy(() -> parse("{\"type\":\"echo\",\"timeout\":\"soon\"}")).hasMessageStartingWith("timeout:");
        assertThatThrownBy(() -> parse("{\"type\":\"echo\",\"runAt\":\"tomorrow\"}")).hasMessageStartingWith("runAt:");
        assertThatThrownBy(() -> parse("{\"type\":\"echo\",\"runAt\":\"2099-01-01T00:00:00Z\"}")).hasMessageStartingWith("runAt:");
        assertThatThrownBy(() -> parse("{\"type\":\"echo\",\"delay\":\"5s\",\"runAt\":\"2026-01-01T00:00:00Z\"}"))
                .hasMessageStartingWith("delay:");
        assertThatThrownBy(() -> parse("{\"type\":\"echo\",\"timeout\":\"48h\"}")).hasMessageStartingWith("timeout:");
    }

    @Test
    void givenDurationsAndTimesBeyondWhatATaskRecordHoldsThenEachIsA400NamingItsField() {
        // found by fuzzing (TaskJsonFuzzTest): the first was a NumberFormatException, so a 500
        assertThatThrownBy(() -> parse("{\"type\":\"echo\",\"delay\":\"999999999999999999992s\",\"timeout\":\"2s\"}"))
                .isInstanceOf(InvalidTaskException.class).hasMessageStartingWith("delay:");
        assertThatThrownBy(() -> parse("{\"type\":\"echo\",\"delay\":\"PT2562047788015215H\"}"))
                .isInstanceOf(InvalidTaskException.class).hasMessageStartingWith("delay: must be at most 30 days");
        assertThatThrownBy(() -> parse("{\"type\":\"echo\",\"timeout\":\"PT2562047788015215H\"}"))
                .isInstanceOf(InvalidTaskException.class).hasMessageStartingWith("timeout:");
        assertThatThrownBy(() -> parse("{\"type\":\"echo\",\"runAt\":\"-300000000-01-01T00:00:00Z\"}"))
                .isInstanceOf(InvalidTaskException.class).hasMessageStartingWith("runAt: must not be before 1970");
    }

    @Test
    void givenABodyTwoParsersCouldReadDifferentlyThenItIsRefused() {
        // found by fuzzing: everything after the first JSON value was ignored
        assertThatThrownBy(() -> parse("{\"type\":\"echo\"}{\"type\":\"email.send\"}")).isInstanceOf(InvalidTaskException.class)
                .hasMessageStartingWith("body: is not valid JSON");
        assertThatThrownBy(() -> parse("{\"type\":\"echo\",\"type\":\"email.send\"}")).isInstanceOf(InvalidTaskException.class)
                .hasMessageStartingWith("body: is not valid JSON").hasMessageContaining("Duplicate field 'type'");
        assertThatThrownBy(() -> parse("{\"type\":\"echo\",\"payload\":{\"to\":\"a\",\"to\":\"b\"}}"))
                .hasMessageContaining("Duplicate field 'to'");
        assertThat(parse("{\"type\":\"echo\"}\r\n  ").type()).isEqualTo("echo");
    }

    private static TaskSubmission parse(String json) {
        return TaskJson.parse(json.getBytes(StandardCharsets.UTF_8), null);
    }
}
