package dev.conveyor.internal.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conveyor.schema.TaskRequest;
import dev.conveyor.schema.TaskResult;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class CachingAvroDatumProviderTest {

    final CachingAvroDatumProvider<SpecificRecord> provider = new CachingAvroDatumProvider<>();

    @Test
    void givenSchemasAskedForInTurnThenEachKeepsItsOwnReaderAndWriter() {
        // given
        Schema request = TaskRequest.getClassSchema();
        Schema result = TaskResult.getClassSchema();
        SpecificRecord aRequest = WholeRecordDatumWriterTest.task("{}");

        // when: one schema, another, then the first again
        DatumReader<SpecificRecord> firstReader = provider.createDatumReader(request);
        DatumReader<SpecificRecord> otherReader = provider.createDatumReader(result);
        DatumReader<SpecificRecord> firstAgain = provider.createDatumReader(request);
        DatumWriter<SpecificRecord> firstWriter = provider.createDatumWriter(aRequest, request);
        DatumWriter<SpecificRecord> otherWriter = provider.createDatumWriter(aRequest, result);

        // then
        assertThat(provider.createDatumReader(request)).isSameAs(firstReader).isSameAs(firstAgain);
        assertThat(otherReader).isNotSameAs(firstReader);
        assertThat(provider.createDatumReader(result)).isSameAs(otherReader);
        assertThat(provider.createDatumWriter(aRequest, request)).isSameAs(firstWriter);
        assertThat(otherWriter).isNotSameAs(firstWriter);
        assertThat(provider.createDatumWriter(aRequest, result)).isSameAs(otherWriter);
    }

    @Test
    void givenAnEqualSchemaThatIsAnotherInstanceThenItGetsAReaderOfItsOwn() {
        // given: lookups are by identity (the resolver hands out one instance per schema id)
        Schema original = TaskRequest.getClassSchema();
        Schema copy = new Schema.Parser().parse(original.toString());

        // when
        DatumReader<SpecificRecord> forOriginal = provider.createDatumReader(original);
        DatumReader<SpecificRecord> forCopy = provider.createDatumReader(copy);

        // then
        assertThat(copy).isEqualTo(original);
        assertThat(forCopy).isNotSameAs(forOriginal);
        assertThat(provider.createDatumReader(original)).isSameAs(forOriginal);
    }
}
