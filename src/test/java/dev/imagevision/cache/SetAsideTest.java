package dev.imagevision.cache;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A paid judgement whose file cannot be written is set aside, served, and moved to its file later. */
class SetAsideTest {
    static final String KEY = CacheKeys.score("sha", "local", "m", "v1");

    @Test
    void aJudgementThatCannotBeWrittenIsServedFromTheSetAsideFileAndRestoredLater(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("scores"), "a file where the folder belongs");
        ScoreCache cache = new ScoreCache(dir);
        assertThatThrownBy(() -> cache.put(CacheTest.record(KEY))).isInstanceOf(IOException.class)
                .hasMessageContaining(ScoreCache.SET_ASIDE).hasMessageContaining("not paid for again");
        assertThat(cache.get(KEY)).contains(CacheTest.record(KEY));

        ScoreCache nextRun = new ScoreCache(dir);
        assertThat(nextRun.get(KEY)).contains(CacheTest.record(KEY)); // served even while the cache is blocked
        assertThat(nextRun.restoreSetAside()).isZero(); // still blocked: stays set aside
        assertThat(dir.resolve(ScoreCache.SET_ASIDE)).exists();

        Files.delete(dir.resolve("scores"));
        ScoreCache fixed = new ScoreCache(dir);
        assertThat(fixed.restoreSetAside()).isEqualTo(1);
        assertThat(dir.resolve(ScoreCache.SET_ASIDE)).doesNotExist();
        assertThat(fixed.fileFor(KEY)).exists();
        assertThat(new ScoreCache(dir).get(KEY)).contains(CacheTest.record(KEY));
        assertThat(new ScoreCache(dir).all()).hasSize(1);
    }

    @Test
    void aFailureRecordIsNeverSetAside(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("scores"), "blocked");
        ScoreRecord failed = new ScoreRecord(KEY, "/images/a/b/01.jpg", "local", "m", "v1", "sha", true, "no", null, null,
                "2026-11-01T12:00:00.000Z");
        assertThatThrownBy(() -> new ScoreCache(dir).put(failed)).isInstanceOf(IOException.class);
        assertThat(dir.resolve(ScoreCache.SET_ASIDE)).doesNotExist();
    }

    @Test
    void theLaterJudgementWinsAndATornLineIsSkipped(@TempDir Path dir) throws Exception {
        ScoreCache cache = new ScoreCache(dir);
        ScoreRecord old = CacheTest.record(KEY);
        cache.put(old);
        ScoreRecord newer = new ScoreRecord(KEY, old.path(), old.provider(), old.model(), old.promptVersion(),
                old.sourceSha256(), false, null, old.judgement(), old.usage(), "2026-11-02T12:00:00.000Z");
        Files.writeString(dir.resolve(ScoreCache.SET_ASIDE),
                dev.imagevision.site.Json.LEDGER_LINES.writeValueAsString(newer) + "\n{\"key\": \"torn");
        assertThat(new ScoreCache(dir).get(KEY)).contains(newer);
        assertThat(new ScoreCache(dir).restoreSetAside()).isEqualTo(1);
        assertThat(new ScoreCache(dir).get(KEY)).contains(newer);

        // an older set-aside line never replaces a later file
        Files.writeString(dir.resolve(ScoreCache.SET_ASIDE), dev.imagevision.site.Json.LEDGER_LINES.writeValueAsString(old) + "\n");
        assertThat(new ScoreCache(dir).get(KEY)).contains(newer);
        assertThat(new ScoreCache(dir).restoreSetAside()).isZero();
        assertThat(new ScoreCache(dir).get(KEY)).contains(newer);
        assertThat(dir.resolve(ScoreCache.SET_ASIDE)).doesNotExist();
    }
}
