package dev.conveyor.producer.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StatusRequestsTest {

    @Test
    void givenCanonicalUuidTextThenItIsTheTaskIdInLowerCase() throws Exception {
        assertThat(StatusRequests.taskId("0190F1C2-1A2B-7C3D-8E4F-0123456789AB")).isEqualTo("0190f1c2-1a2b-7c3d-8e4f-0123456789ab");
    }

    @Test
    void givenAnythingElseThenTheIdIsRefused() {
        for (String id : List.of("x", "0190f1c21a2b7c3d8e4f0123456789ab", "{0190f1c2-1a2b-7c3d-8e4f-0123456789ab}",
                "0190f1c2-1a2b-7c3d-8e4f-0123456789abc", "0190f1c2-1a2b-7c3d-8e4f-0123456789ag")) {
            assertThatThrownBy(() -> StatusRequests.taskId(id)).as(id).isInstanceOf(StatusRequests.Invalid.class).hasMessageStartingWith("id:");
        }
    }

    @Test
    void givenWaitsInShortFormsThenTheyParseWithinTheirBounds() throws Exception {
        assertThat(StatusRequests.waitFor(null)).isNull();
        assertThat(StatusRequests.waitFor(List.of("500ms"))).isEqualTo(Duration.ofMillis(500));
        assertThat(StatusRequests.waitFor(List.of("30s"))).isEqualTo(Duration.ofSeconds(30));
        assertThat(StatusRequests.waitFor(List.of("1m"))).isEqualTo(Duration.ofMinutes(1));
        assertThat(StatusRequests.waitFor(List.of("1ms"))).isEqualTo(Duration.ofMillis(1));
        for (String wait : List.of("0ms", "61s", "2m", "soon", "-1s", "")) {
            assertThatThrownBy(() -> StatusRequests.waitFor(List.of(wait))).as(wait).hasMessageStartingWith("wait:");
        }
        assertThatThrownBy(() -> StatusRequests.waitFor(List.of("1s", "2s"))).hasMessageStartingWith("wait:");
    }

    @Test
    void givenAnUnknownParameterThenItIsNamed() throws Exception {
        StatusRequests.onlyKnownParameters(Map.of("wait", List.of("1s")), Set.of("wait"));
        assertThatThrownBy(() -> StatusRequests.onlyKnownParameters(Map.of("colour", List.of("red")), Set.of("wait")))
                .hasMessageStartingWith("colour:");
    }
}
