package dev.imagevision.judgements;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PendingBatchesTest {
    @TempDir
    Path cache;

    PrintStream log = new PrintStream(new ByteArrayOutputStream());

    @Test
    void aBatchFileOfAnOlderVersionHasHadNoUnreadableRuns() throws Exception {
        Files.createDirectories(cache.resolve("batches"));
        Files.writeString(cache.resolve("batches/msgbatch_old.json"), """
                {"batch_id": "msgbatch_old", "provider": "anthropic", "model": "claude-sonnet-4-6",
                 "prompt_version": "v1", "submitted_at": "2026-07-06T10:00:00.000Z",
                 "items": [{"id": "r1", "path": "/images/a.jpg", "score_key": "k", "source_sha256": "s"}]}""");
        List<PendingBatches.Batch> all = new PendingBatches(cache).list(log);
        assertThat(all).singleElement().satisfies(b -> {
            assertThat(b.unreadableRuns()).isZero();
            assertThat(b.items()).singleElement().satisfies(e -> assertThat(e.inputTokensCeiling()).isNull());
        });
    }

    @Test
    void theUnreadableRunsAreKeptAcrossRuns() throws Exception {
        PendingBatches pending = new PendingBatches(cache);
        PendingBatches.Batch b = new PendingBatches.Batch("msgbatch_1", "anthropic", "m", "v", "t",
                List.of(new PendingBatches.Entry("r1", "/images/a.jpg", "k", "s", 1200L)));
        pending.save(b.unreadableOnceMore().unreadableOnceMore());
        assertThat(new PendingBatches(cache).list(log)).singleElement()
                .satisfies(read -> assertThat(read.unreadableRuns()).isEqualTo(2));
    }
}
