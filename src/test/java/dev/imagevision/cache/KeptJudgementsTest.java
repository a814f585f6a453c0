package dev.imagevision.cache;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Judgements an earlier run could not write are restored to their files, or served while the cache stays blocked. */
class KeptJudgementsTest {
    static final String KEY = CacheKeys.score("sha", "local", "m", "v1");

    @Test
    void aKeptJudgementIsServedWhileTheCacheIsBlockedAndWrittenOnceItIsNot(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("scores"), "a file where the folder belongs");
        ScoreCache blocked = new ScoreCache(dir);
        assertThat(blocked.restore(List.of(CacheTest.record(KEY)))).hasSize(1);
        assertThat(blocked.get(KEY)).contains(CacheTest.record(KEY));
        assertThat(blocked.all()).hasSize(1);

        Files.delete(dir.resolve("scores"));
        ScoreCache fixed = new ScoreCache(dir);
        assertThat(fixed.restore(List.of(CacheTest.record(KEY)))).isEmpty();
        assertThat(fixed.fileFor(KEY)).exists();
        assertThat(new ScoreCache(dir).get(KEY)).contains(CacheTest.record(KEY));
    }

    @Test
    void theLaterJudgementWins(@TempDir Path dir) throws Exception {
        ScoreCache cache = new ScoreCache(dir);
        ScoreRecord old = CacheTest.record(KEY);
        ScoreRecord newer = new ScoreRecord(KEY, old.path(), old.provider(), old.model(), old.promptVersion(),
                old.sourceSha256(), false, null, old.judgement(), old.usage(), "2026-11-02T12:00:00.000Z");
        cache.put(old);
        assertThat(cache.restore(List.of(newer))).isEmpty(); // a forced re-score kept by a run that could not write it
        assertThat(new ScoreCache(dir).get(KEY)).contains(newer);

        assertThat(new ScoreCache(dir).restore(List.of(old))).isEmpty(); // an older kept one never replaces a later file
        assertThat(new ScoreCache(dir).get(KEY)).contains(newer);

        ScoreCache dry = new ScoreCache(dir);
        dry.serve(List.of(old));
        assertThat(dry.get(KEY)).contains(newer);
    }
}
