package dev.conveyor.console.deadletters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SelectionTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void givenRefsWhenParsedThenTheFilterSelectsExactlyThoseAndTheAuditNamesThem() throws Exception {
        Selection selection = Selection.from(JSON.readTree("{\"refs\":[\"0:4\",\"2:17\"]}"));
        assertThat(selection.filter().refs()).containsExactlyInAnyOrder("0:4", "2:17");
        assertThat(selection.all()).isFalse();
        assertThat(selection.describe()).containsOnlyKeys("refs");
    }

    @Test
    void givenAFilterWhenParsedThenEachCriterionIsKept() throws Exception {
        Selection selection = Selection.from(JSON.readTree(
                "{\"filter\":{\"type\":\"email.send\",\"reason\":\"TIMEOUT\",\"since\":\"2026-12-01T00:00:00Z\",\"text\":\" smtp \"}}"));
        assertThat(selection.filter().type()).isEqualTo("email.send");
        assertThat(selection.filter().reason()).isEqualTo("TIMEOUT");
        assertThat(selection.filter().since()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(selection.filter().text()).isEqualTo("smtp");
        assertThat(selection.describe()).containsEntry("type", "email.send").doesNotContainKey("all");
    }

    @Test
    void givenNothingNamedWhenParsedThenItIsRefusedUnlessAllIsSaid() throws Exception {
        assertThatThrownBy(() -> Selection.from(JSON.readTree("{}"))).hasMessageContaining("name the letters");
        assertThatThrownBy(() -> Selection.from(JSON.readTree("{\"filter\":{\"type\":\"  \"}}"))).hasMessageContaining("name the letters");
        Selection all = Selection.from(JSON.readTree("{\"all\":true}"));
        assertThat(all.all()).isTrue();
        assertThat(all.describe()).containsEntry("all", true);
    }

    @Test
    void givenMalformedRefsOrTimesWhenParsedThenTheErrorNamesThem() {
        assertThatThrownBy(() -> Selection.from(JSON.readTree("{\"refs\":[\"0-4\"]}"))).hasMessageContaining("'0-4'");
        assertThatThrownBy(() -> Selection.from(JSON.readTree("{\"filter\":{\"until\":\"tomorrow\"}}")))
                .hasMessageContaining("until").hasMessageContaining("tomorrow");
    }
}
