package dev.conveyor.internal.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conveyor.kafka.ClusterConfig;
import dev.conveyor.schema.TaskRequest;
import org.apache.avro.SystemLimitException;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.Test;

class DecodingLimitsTest {

    @Test
    void givenConveyorsSerdesWhenAFewBytesClaimAGigabyteStringThenDecodingFailsAsARecordInsteadOfAllocatingIt() {
        // given the serdes are set up (as every app's are before it decodes)
        AvroSerdes.config(new ClusterConfig("127.0.0.1:9092", "http://127.0.0.1:8080"));

        // when a task's first string announces 2^30 bytes in a record of six
        byte[] claim = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08, 1};
        SpecificDatumReader<TaskRequest> reader = new SpecificDatumReader<>(TaskRequest.class);

        // then the decoder refuses the length instead of allocating a gigabyte
        assertThat(System.getProperty(SystemLimitException.MAX_STRING_LENGTH_PROPERTY)).isEqualTo("16777216");
        assertThatThrownBy(() -> reader.read(null, DecoderFactory.get().binaryDecoder(claim, null)))
                .isInstanceOf(SystemLimitException.class);
    }
}
