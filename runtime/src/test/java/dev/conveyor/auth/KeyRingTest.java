package dev.conveyor.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conveyor.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyRingTest {

    static final Duration CHECK = Duration.ofSeconds(5);

    @TempDir
    Path dir;
    final TestClock clock = new TestClock();

    static NewApiKey key(String id) {
        return NewApiKey.generate(id, EnumSet.of(Scope.SUBMIT, Scope.READ), "*", 0);
    }

    KeyRing ring(Path file, List<ApiKey> inline) {
        return KeyRing.open(new AuthSettings(true, file, inline, false), CHECK, clock);
    }

    @Test
    void givenKeysFromTheFileAndTheEnvironmentThenEachIsFoundByItsKeyAndNothingElseIs() throws IOException {
        // given
        NewApiKey fromFile = key("from-file");
        NewApiKey inline = key("inline");
        Path file = Files.writeString(dir.resolve("keys"), fromFile.line() + "\n");

        // when
        KeyRing ring = ring(file, List.of(inline.stored()));

        // then
        assertThat(ring.find(fromFile.key())).map(ApiKey::id).hasValue("from-file");
        assertThat(ring.find(inline.key())).map(ApiKey::id).hasValue("inline");
        assertThat(ring.find(fromFile.key() + "x")).isEmpty();
        assertThat(ring.find("")).isEmpty();
        assertThat(ring.ids()).containsExactly("inline", "from-file");
    }

    @Test
    void givenAKeyRotatedInTheFileThenBothWorkWhileTheFileHoldsBothAndOnlyTheNewOneOnceTheOldLineIsGone() throws IOException {
        // given a ring over a client's key
        NewApiKey old = key("client");
        NewApiKey rotated = key("client");
        Path file = Files.writeString(dir.resolve("keys"), old.line());
        KeyRing ring = ring(file, List.of());

        // when the new key's line is added
        Files.writeString(file, old.line() + "\n" + rotated.line());
        boolean newBeforeTheCheck = ring.find(rotated.key()).isPresent();
        clock.advance(CHECK);

        // then it works from the next check on, under the same id, next to the old one
        assertThat(newBeforeTheCheck).isFalse();
        assertThat(ring.find(rotated.key())).map(ApiKey::id).hasValue("client");
        assertThat(ring.find(old.key())).isPresent();
        assertThat(ring.ids()).containsExactly("client");

        // and when the old line is removed, the old key no longer works
        Files.writeString(file, rotated.line());
        clock.advance(CHECK);
        assertThat(ring.find(old.key())).isEmpty();
        assertThat(ring.find(rotated.key())).isPresent();
    }

    @Test
    void givenTheFileBecomesInvalidOrDisappearsThenTheKeysLoadedBeforeStayInUse() throws IOException {
        // given
        NewApiKey kept = key("kept");
        Path file = Files.writeString(dir.resolve("keys"), kept.line());
        KeyRing ring = ring(file, List.of());

        // when the file is half-written, then gone
        Files.writeString(file, kept.line() + "\nbroken:sha256=");
        clock.advance(CHECK);
        boolean afterBrokenFile = ring.find(kept.key()).isPresent();
        Files.delete(file);
        clock.advance(CHECK);

        // then
        assertThat(afterBrokenFile).isTrue();
        assertThat(ring.find(kept.key())).isPresent();
    }

    @Test
    void givenAnUnusableFileOrNoKeyAtAllThenTheStartIsRefusedNamingTheFileVariable() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty"), "# nothing yet\n");
        Path broken = Files.writeString(dir.resolve("broken"), "a:b:c\n");
        NewApiKey inline = key("same");

        assertThatThrownBy(() -> ring(empty, List.of())).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("API_KEYS_FILE:").hasMessageContaining("holds no key");
        assertThatThrownBy(() -> ring(broken, List.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 1: has 3 fields");
        assertThatThrownBy(() -> ring(dir.resolve("missing"), List.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("cannot be read");
        Path other = Files.writeString(dir.resolve("other"), NewApiKey.generate("same", EnumSet.of(Scope.READ), "", 0).line());
        assertThatThrownBy(() -> ring(other, List.of(inline.stored()))).hasMessageContaining("key id 'same' is given again");
    }

    @Test
    void givenAKeyRemovedFromTheFileWhenTheRingReloadsThenItNoLongerHoldsIt() throws IOException {
        // given a ring holding an admin key and a key without the admin scope
        NewApiKey admin = NewApiKey.generate("ops", EnumSet.of(Scope.ADMIN), "*", 0);
        NewApiKey reader = key("reader");
        Path file = Files.writeString(dir.resolve("keys"), admin.line() + "\n" + reader.line() + "\n");
        KeyRing ring = ring(file, List.of());
        assertThat(ring.holds(admin.stored(), Scope.ADMIN)).isTrue();
        assertThat(ring.holds(reader.stored(), Scope.ADMIN)).isFalse();

        // when the admin key is revoked and the ring's check interval passes
        Files.writeString(file, reader.line() + "\n");
        clock.advance(CHECK.plusSeconds(1));

        // then the ring no longer holds it
        assertThat(ring.holds(admin.stored(), Scope.ADMIN)).isFalse();
        assertThat(ring.holds(reader.stored(), Scope.READ)).isTrue();
    }
}
