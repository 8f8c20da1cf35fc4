package dev.conveyor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PlainBytesTest {

    @Test
    void aRecordHasTheTaskSizeAndCarriesItsStampThroughTheRelay() {
        // given
        PlainBytes records = new PlainBytes(96);

        // when
        byte[] sent = records.source(41, 123_456_789L);
        byte[] relayed = records.relay(sent);

        // then
        assertThat(sent).hasSize(96);
        assertThat(records.read(relayed)).isEqualTo(new RelayedRecords.Stamp(123_456_789L, 41));
    }
}
