package dev.conveyor.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ApiKeyToolTest {

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String... args) {
        return ApiKeyTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void givenAnIdAndTypesThenItPrintsAFreshKeyAndTheLineThatStoresItsHash() {
        // when
        int status = run("new", "billing", "email.*", "submit", "20");

        // then standard output holds the key and the line, nothing else
        assertThat(status).isZero();
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(2);
        String key = lines[0];
        assertThat(key).startsWith("cvk_").hasSize(47);
        ApiKey stored = KeyLines.parse(lines[1]).getFirst();
        assertThat(stored.id()).isEqualTo("billing");
        assertThat(stored.hash().matches(KeyHash.of(key))).isTrue();
        assertThat(stored.tasksPerSecond()).isEqualTo(20);
        assertThat(lines[1]).doesNotContain(key);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("shown once");
    }

    @Test
    void givenNoScopesThenTheKeySubmitsAndReadsAndTwoKeysDiffer() {
        run("new", "a", "*");
        run("new", "b", "*");

        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(KeyLines.parse(lines[1]).getFirst().scopes()).containsExactlyInAnyOrder(Scope.SUBMIT, Scope.READ);
        assertThat(lines[0]).isNotEqualTo(lines[2]);
    }

    @Test
    void givenWrongArgumentsThenItPrintsUsageAndFails() {
        assertThat(run("new", "billing")).isEqualTo(2);
        assertThat(run("new", "bad id", "*")).isEqualTo(2);
        assertThat(run("new", "ok", "*", "write")).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: ApiKeyTool new");
    }
}
