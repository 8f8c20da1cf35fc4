package dev.conveyor.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyLinesTest {

    static final String HASH = KeyHash.of("cvk_test").text();

    @Test
    void givenAFileWithCommentsBlankLinesAndTwoKeysThenBothAreReadWithTheirScopesTypesAndRates() {
        // given
        String file = """
                # billing submits mails and reports
                billing:%s:submit,read:email.*, report.render:50

                ops:%s:admin:
                """.formatted(HASH, KeyHash.of("cvk_other").text());

        // when
        List<ApiKey> keys = KeyLines.parse(file);

        // then
        assertThat(keys).extracting(ApiKey::id).containsExactly("billing", "ops");
        ApiKey billing = keys.getFirst();
        assertThat(billing.scopes()).containsExactlyInAnyOrder(Scope.SUBMIT, Scope.READ);
        assertThat(billing.types().allows("email.send")).isTrue();
        assertThat(billing.types().allows("report.render")).isTrue();
        assertThat(billing.types().allows("echo")).isFalse();
        assertThat(billing.tasksPerSecond()).isEqualTo(50);
        assertThat(billing.hash().matches(KeyHash.of("cvk_test"))).isTrue();
        ApiKey ops = keys.get(1);
        assertThat(ops.limited()).isFalse();
        assertThat(ops.types().none()).isTrue();
        assertThat(ops.has(Scope.READ)).as("admin includes read").isTrue();
        assertThat(ops.has(Scope.SUBMIT)).isFalse();
    }

    @Test
    void givenKeysSeparatedBySemicolonsAsInTheEnvironmentThenEachIsRead() {
        // when
        List<ApiKey> keys = KeyLines.parse("a:" + HASH + ":read:;b:" + KeyHash.of("x").text() + ":submit:*:0.5");

        // then
        assertThat(keys).extracting(ApiKey::id).containsExactly("a", "b");
        assertThat(keys.get(1).tasksPerSecond()).isEqualTo(0.5);
    }

    @Test
    void givenAKeyThenItsLineReadsBackAsTheSameKey() {
        // given
        ApiKey key = new ApiKey("svc-1", KeyHash.of("cvk_abc"), EnumSet.of(Scope.SUBMIT, Scope.ADMIN), TypePatterns.parse("echo,fail.*"), 2.5);

        // when
        String line = KeyLines.line(key);

        // then
        assertThat(line).isEqualTo("svc-1:" + KeyHash.of("cvk_abc").text() + ":submit,admin:echo,fail.*:2.5");
        ApiKey read = KeyLines.parse(line).getFirst();
        assertThat(read.scopes()).isEqualTo(key.scopes());
        assertThat(read.types()).hasToString("echo,fail.*");
        assertThat(read.hash().matches(KeyHash.of("cvk_abc"))).isTrue();
    }

    @Test
    void givenLinesInErrorThenTheErrorNamesTheLineAndWhatIsWrongButNeverQuotesTheHash() {
        assertThatThrownBy(() -> KeyLines.parse("# c\nbilling:" + HASH + ":submit"))
                .hasMessageStartingWith("line 2: has 3 fields").hasMessageNotContaining(HASH);
        assertThatThrownBy(() -> KeyLines.parse("billing:md5=abc:submit:*")).hasMessageContaining("sha256=<64 hex digits>");
        assertThatThrownBy(() -> KeyLines.parse("billing:sha256=" + "zz".repeat(32) + ":submit:*")).hasMessageContaining("not hex");
        assertThatThrownBy(() -> KeyLines.parse("billing:" + HASH + ":write:*")).hasMessageContaining("'write' is not a scope");
        assertThatThrownBy(() -> KeyLines.parse("billing:" + HASH + ":submit:")).hasMessageContaining("needs the task types");
        assertThatThrownBy(() -> KeyLines.parse("billing:" + HASH + ":submit:Email")).hasMessageContaining("not a task type glob");
        assertThatThrownBy(() -> KeyLines.parse("billing:" + HASH + ":submit:*:fast")).hasMessageContaining("rate 'fast'");
        assertThatThrownBy(() -> KeyLines.parse("billing:" + HASH + ":submit:*:0")).hasMessageContaining("rate '0'");
        assertThatThrownBy(() -> KeyLines.parse("billing:" + HASH + ":submit:*:0.0001")).hasMessageContaining("between 0.001");
        assertThatThrownBy(() -> KeyLines.parse("bill ing:" + HASH + ":submit:*")).hasMessageContaining("key id");
        assertThatThrownBy(() -> KeyLines.parse("a:" + HASH + ":read:\na:" + HASH + ":read,submit:*"))
                .hasMessage("line 2: key id 'a' is given again with other scopes, task types or rate; the lines of one id differ only in their hash");
    }

    @Test
    void givenTwoLinesOfOneIdThatDifferOnlyInTheirHashThenBothAreKeysOfThatId() {
        // when: a client's old and new key, while it moves to the new one
        List<ApiKey> keys = KeyLines.parse("billing:" + HASH + ":submit:echo:5\nbilling:" + KeyHash.of("cvk_new").text() + ":submit:echo:5");

        // then
        assertThat(keys).extracting(ApiKey::id).containsExactly("billing", "billing");
    }

    @Test
    void givenTypeGlobsThenAStarMatchesAnyRunOfCharactersDotsIncluded() {
        TypePatterns patterns = TypePatterns.parse("email.*,*.render,echo");

        assertThat(patterns.allows("email.send")).isTrue();
        assertThat(patterns.allows("email.send.bulk")).isTrue();
        assertThat(patterns.allows("report.render")).isTrue();
        assertThat(patterns.allows("echo")).isTrue();
        assertThat(patterns.allows("echo2")).isFalse();
        assertThat(patterns.allows("emails.send")).isFalse();
        assertThat(TypePatterns.parse("*").allows("anything.at-all")).isTrue();
        assertThat(TypePatterns.parse("").allows("echo")).isFalse();
    }

    @Test
    void givenAHashThenOnlyTheSameKeyMatchesIt() {
        KeyHash stored = KeyHash.parse(KeyHash.of("cvk_secret").text());

        assertThat(stored.matches(KeyHash.of("cvk_secret"))).isTrue();
        assertThat(stored.matches(KeyHash.of("cvk_secreT"))).isFalse();
        assertThat(stored.text()).matches("sha256=[0-9a-f]{64}");
        assertThat(Set.of(Scope.values())).extracting(Scope::text).containsExactlyInAnyOrder("submit", "read", "admin");
    }
}
