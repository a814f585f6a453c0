package dev.imagevision.cache;

import dev.imagevision.crop.CropSpec;
import dev.imagevision.vision.Category;
import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.Judgement;
import dev.imagevision.vision.SubjectBox;
import dev.imagevision.vision.Usage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CacheTest {
    static final CropSpec SPEC = new CropSpec("16x9", 16, 9, 1920, 80);

    @Test
    void scoreKeyChangesWithEachOfItsInputsAndNothingElse() {
        String base = CacheKeys.score("abc", "anthropic", "claude-sonnet-4-6", "v1");
        assertThat(CacheKeys.score("abc", "anthropic", "claude-sonnet-4-6", "v1")).isEqualTo(base);
        assertThat(CacheKeys.score("abd", "anthropic", "claude-sonnet-4-6", "v1")).isNotEqualTo(base);
        assertThat(CacheKeys.score("abc", "local", "claude-sonnet-4-6", "v1")).isNotEqualTo(base);
        assertThat(CacheKeys.score("abc", "anthropic", "claude-opus-4", "v1")).isNotEqualTo(base);
        assertThat(CacheKeys.score("abc", "anthropic", "claude-sonnet-4-6", "v2")).isNotEqualTo(base);
        assertThat(base).hasSize(64).matches("[0-9a-f]+");
    }

    @Test
    void variantKeyCoversFocalPointBoxSpecAndLibrary() {
        FocalPoint f = FocalPoint.of(0.3, 0.4);
        SubjectBox b = SubjectBox.of(0.1, 0.1, 0.5, 0.5);
        String base = CacheKeys.variant("abc", f, b, SPEC, "opencv-4");
        assertThat(CacheKeys.variant("abc", f, b, SPEC, "opencv-4")).isEqualTo(base);
        assertThat(CacheKeys.variant("abc", FocalPoint.of(0.31, 0.4), b, SPEC, "opencv-4")).isNotEqualTo(base);
        assertThat(CacheKeys.variant("abc", f, null, SPEC, "opencv-4")).isNotEqualTo(base);
        assertThat(CacheKeys.variant("abc", f, b, new CropSpec("16x9", 16, 9, 1920, 81), "opencv-4")).isNotEqualTo(base);
        assertThat(CacheKeys.variant("abc", f, b, SPEC, "opencv-5")).isNotEqualTo(base);
    }

    @Test
    void keyPartsCannotRunIntoEachOther() {
        assertThat(Hashing.parts("ab", "c")).isNotEqualTo(Hashing.parts("a", "bc"));
    }

    static ScoreRecord record(String key) {
        return new ScoreRecord(key, "/images/a/b/01.jpg", "local", "m", "v1", "sha", false, null,
                new Judgement(7, "A rocket.", Category.LAUNCH, FocalPoint.of(0.5, 0.4), SubjectBox.of(0.4, 0.1, 0.2, 0.8),
                        true, null), Usage.FREE, "2026-11-01T12:00:00.000Z");
    }

    @Test
    void scoreRecordsRoundTrip(@TempDir Path dir) throws Exception {
        ScoreCache cache = new ScoreCache(dir);
        String key = CacheKeys.score("sha", "local", "m", "v1");
        cache.put(record(key));
        assertThat(cache.get(key)).contains(record(key));
    }

    @Test
    void aHalfWrittenScoreFileIsAMiss(@TempDir Path dir) throws Exception {
        ScoreCache cache = new ScoreCache(dir);
        String key = CacheKeys.score("sha", "local", "m", "v1");
        cache.put(record(key));
        Path f = cache.fileFor(key);
        byte[] full = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(full, full.length / 2));
        assertThat(cache.get(key)).isEmpty();
        Files.writeString(f, "");
        assertThat(cache.get(key)).isEmpty();
    }

    @Test
    void aRecordFiledUnderAnotherKeyIsAMiss(@TempDir Path dir) throws Exception {
        ScoreCache cache = new ScoreCache(dir);
        String key = CacheKeys.score("sha", "local", "m", "v1");
        String other = CacheKeys.score("sha2", "local", "m", "v1");
        Files.createDirectories(cache.fileFor(other).getParent());
        Files.write(cache.fileFor(other), new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(record(key)));
        assertThat(cache.get(other)).isEmpty();
    }

    @Test
    void aTornVariantIsAMiss(@TempDir Path dir) throws Exception {
        VariantCache cache = new VariantCache(dir);
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, 1, 2, 3, 4, (byte) 0xFF, (byte) 0xD9};
        cache.put("ab12", jpeg);
        assertThat(cache.get("ab12")).hasValueSatisfying(b -> assertThat(b).isEqualTo(jpeg));
        Files.write(cache.fileFor("ab12"), java.util.Arrays.copyOf(jpeg, 5));
        assertThat(cache.get("ab12")).isEmpty();
    }

    @Test
    void atomicWritesReplaceWholeFilesAndLeaveNoTemporaries(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("sub/out.json");
        AtomicFiles.write(f, "first".getBytes());
        AtomicFiles.write(f, "second".getBytes());
        assertThat(Files.readString(f)).isEqualTo("second");
        try (var s = Files.list(f.getParent())) {
            assertThat(s).containsExactly(f);
        }
    }

    @Test
    void aCopyIsMadeWholeOrNotAtAllAndAnEarlierCopyStaysUntilThen(@TempDir Path dir) throws Exception {
        Path source = dir.resolve("image-vision.json"), aside = dir.resolve("image-vision.json.malformed");
        Files.write(source, new byte[300_000]); // larger than one transfer may move
        Files.writeString(aside, "an earlier copy");
        assertThatThrownBy(() -> AtomicFiles.copy(dir.resolve("sub"), aside)).isInstanceOf(java.io.IOException.class); // nothing there
        assertThat(Files.readString(aside)).isEqualTo("an earlier copy");
        Files.createDirectories(dir.resolve("sub"));
        assertThatThrownBy(() -> AtomicFiles.copy(dir.resolve("sub"), aside)).isInstanceOf(java.io.IOException.class); // a folder
        assertThat(Files.readString(aside)).isEqualTo("an earlier copy");
        AtomicFiles.copy(source, aside);
        assertThat(Files.mismatch(source, aside)).isEqualTo(-1);
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("image-vision.json",
                    "image-vision.json.malformed", "sub");
        }
    }

    @Test
    void writeIfChangedLeavesIdenticalFilesUntouched(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("out.json");
        assertThat(AtomicFiles.writeIfChanged(f, "same".getBytes())).isTrue();
        Files.setLastModifiedTime(f, FileTime.fromMillis(1_000_000_000_000L));
        assertThat(AtomicFiles.writeIfChanged(f, "same".getBytes())).isFalse();
        assertThat(Files.getLastModifiedTime(f).toMillis()).isEqualTo(1_000_000_000_000L);
        assertThat(AtomicFiles.writeIfChanged(f, "different".getBytes())).isTrue();
    }

    @Test
    void theStatIndexSkipsReHashingUnchangedFiles(@TempDir Path dir) throws Exception {
        Path img = Files.writeString(dir.resolve("a.jpg"), "AAAA");
        FileTime t = FileTime.fromMillis(1_700_000_000_000L);
        Files.setLastModifiedTime(img, t);
        StatIndex index = StatIndex.load(dir.resolve("stat-index.json"));
        String sha = index.sha256("/a.jpg", img);
        assertThat(sha).isEqualTo(Hashing.file(img));
        index.save();

        // same size and mtime, different bytes: a warm run trusts the stat and does not re-hash
        Files.writeString(img, "BBBB");
        Files.setLastModifiedTime(img, t);
        StatIndex warm = StatIndex.load(dir.resolve("stat-index.json"));
        assertThat(warm.sha256("/a.jpg", img)).isEqualTo(sha);

        // a touched file is re-hashed
        Files.setLastModifiedTime(img, FileTime.fromMillis(1_700_000_001_000L));
        assertThat(warm.sha256("/a.jpg", img)).isEqualTo(Hashing.file(img)).isNotEqualTo(sha);
    }

    @Test
    void aSourcesPixelSizeIsKeptWithItsStatAndForgottenWhenTheFileChanges(@TempDir Path dir) throws Exception {
        Path img = Files.writeString(dir.resolve("a.jpg"), "AAAA");
        Files.setLastModifiedTime(img, FileTime.fromMillis(1_700_000_000_000L));
        StatIndex index = StatIndex.load(dir.resolve("stat-index.json"));
        index.recordPixels("/a.jpg", 4000, 3000); // not hashed yet: nothing to attach it to
        assertThat(index.pixels("/a.jpg")).isEmpty();
        index.sha256("/a.jpg", img);
        assertThat(index.pixels("/a.jpg")).isEmpty();
        index.recordPixels("/a.jpg", 3000, 4000);
        index.save();

        StatIndex warm = StatIndex.load(dir.resolve("stat-index.json"));
        warm.sha256("/a.jpg", img);
        assertThat(warm.pixels("/a.jpg")).contains(new StatIndex.Pixels(3000, 4000));

        // a touched file is re-hashed and its size must be read again
        Files.setLastModifiedTime(img, FileTime.fromMillis(1_700_000_001_000L));
        warm.sha256("/a.jpg", img);
        assertThat(warm.pixels("/a.jpg")).isEmpty();
    }

    @Test
    void anUnreadableStatIndexStartsOver(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("stat-index.json"), "{not json");
        Path img = Files.writeString(dir.resolve("a.jpg"), "AAAA");
        StatIndex index = StatIndex.load(dir.resolve("stat-index.json"));
        assertThat(index.sha256("/a.jpg", img)).isEqualTo(Hashing.file(img));
        index.save();
        assertThat(Files.readString(dir.resolve("stat-index.json"))).contains("/a.jpg");
    }

    @Test
    void outputsAreUpToDateOnlyForTheSameKeyAndUntouchedFile(@TempDir Path dir) throws Exception {
        Path out = Files.writeString(dir.resolve("v.jpg"), "jpeg");
        StatIndex index = StatIndex.load(dir.resolve("stat-index.json"));
        index.recordOutput("/v.jpg", out, "k1");
        assertThat(index.outputUpToDate("/v.jpg", out, "k1")).isTrue();
        assertThat(index.outputUpToDate("/v.jpg", out, "k2")).isFalse();
        Files.writeString(out, "other bytes");
        assertThat(index.outputUpToDate("/v.jpg", out, "k1")).isFalse();
        Files.delete(out);
        assertThat(index.outputUpToDate("/v.jpg", out, "k1")).isFalse();
    }

    @Test
    void temporariesLeftByAKilledRunAreSweptAndNothingElse(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("a"));
        Path keep = Files.writeString(dir.resolve("a/01.jpg"), "x");
        // made before the killed run started: an editor's, whatever its name
        Path before = Files.writeString(dir.resolve("a/.imagevision-5550123456789012.tmp"), "older");
        java.nio.file.attribute.FileTime runStarted = java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(before).toMillis() + 5000);
        Files.setLastModifiedTime(keep, runStarted);
        Path stray = Files.writeString(dir.resolve("a/.imagevision-8812734400172651930.tmp"), "half");
        Files.setLastModifiedTime(stray, runStarted);
        Path notOurs = Files.writeString(dir.resolve("a/notes.tmp"), "mine");
        // an editor's own hidden temporary files, in the shape other tools use, or ours but short: never removed
        Path editors = Files.writeString(dir.resolve("a/.draft.jpg.12345.tmp"), "mine too");
        Path shortName = Files.writeString(dir.resolve("a/.imagevision-1.tmp"), "an editor's notes");
        for (Path p : java.util.List.of(notOurs, editors, shortName)) Files.setLastModifiedTime(p, runStarted);
        assertThat(AtomicFiles.sweep(dir, runStarted)).isEqualTo(1);
        assertThat(stray).doesNotExist();
        assertThat(keep).exists();
        assertThat(notOurs).exists();
        assertThat(editors).exists();
        assertThat(shortName).exists();
        assertThat(before).exists();
    }
}
