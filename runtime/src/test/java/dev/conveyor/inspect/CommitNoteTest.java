package dev.conveyor.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CommitNoteTest {

    @Test
    void givenANoteWhenWrittenAndParsedThenEveryFieldSurvives() {
        CommitNote note = new CommitNote("processor-1", Instant.parse("2026-12-06T11:00:00.123Z"), 250, 8, true);
        assertThat(CommitNote.parse(note.text())).contains(note);
        assertThat(note.text()).hasSizeLessThan(100);
    }

    @Test
    void givenMetadataOtherClientsWriteWhenParsedThenThereIsNoNote() {
        assertThat(CommitNote.parse(null)).isEmpty();
        assertThat(CommitNote.parse("")).isEmpty();
        assertThat(CommitNote.parse("some other tool")).isEmpty();
        assertThat(CommitNote.parse("conveyor/1 a b c d e")).isEmpty();
        assertThat(CommitNote.parse("conveyor/1 a 1 2")).isEmpty();
    }
}
