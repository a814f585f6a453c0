package dev.imagevision.curation;

import dev.imagevision.site.SiteFileException;
import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.SubjectBox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CurationStoreTest {
    static final Instant AT = Instant.parse("2026-07-05T19:00:00Z");

    @TempDir
    Path dir;

    Path file() {
        return dir.resolve("static/data/image-curation.json");
    }

    @Test
    void flaggingWritesTheSitesShape() throws Exception {
        CurationStore store = new CurationStore(file());
        store.flag("/images/missions/juice/02.jpg", "Stock photo of a juice drink", AT);
        assertThat(Files.readString(file())).isEqualTo("""
                {
                  "version": "1.0",
                  "entries": [
                    {
                      "path": "/images/missions/juice/02.jpg",
                      "reason": "Stock photo of a juice drink",
                      "flaggedAt": "2026-07-05T19:00:00.000Z"
                    }
                  ]
                }
                """);
        assertThat(store.read().flagged("/images/missions/juice/02.jpg")).isTrue();
    }

    @Test
    void pathsAreNormalisedAndReasonsBecomeOneLine() throws Exception {
        CurationStore store = new CurationStore(file());
        Curation c = store.flag("static/images/missions/x/01.jpg", "  wrong\n rover\t\there ", AT);
        assertThat(c.entry("/images/missions/x/01.jpg").orElseThrow().reason()).isEqualTo("wrong rover here");
    }

    @Test
    void badInputIsRefusedAndNothingIsWritten() {
        CurationStore store = new CurationStore(file());
        assertThatThrownBy(() -> store.flag("/images/x.jpg", "  ", AT)).hasMessageContaining("reason is empty");
        assertThatThrownBy(() -> store.flag("/images/x.jpg", "x".repeat(501), AT)).hasMessageContaining("keep it under 500");
        assertThatThrownBy(() -> store.flag("/images/../../etc/passwd", "x", AT)).hasMessageContaining("refused image path");
        assertThatThrownBy(() -> store.flag("", "x", AT)).hasMessageContaining("path is empty");
        assertThat(file()).doesNotExist();
    }

    @Test
    void reflaggingReplacesTheReasonAndKeepsOverrides() throws Exception {
        CurationStore store = new CurationStore(file());
        store.setOverride("/images/a/b/01.jpg", new FocalPoint(0.2, 0.3), null);
        store.flag("/images/a/b/01.jpg", "first", AT);
        Curation c = store.flag("/images/a/b/01.jpg", "second", AT.plusSeconds(60));
        assertThat(c.entries()).hasSize(1);
        CurationEntry e = c.entries().get(0);
        assertThat(e.reason()).isEqualTo("second");
        assertThat(e.flaggedAt()).isEqualTo("2026-07-05T19:01:00.000Z");
        assertThat(e.focalPoint()).isEqualTo(new FocalPoint(0.2, 0.3));
    }

    @Test
    void unflaggingRemovesTheRowButKeepsAnOverride() throws Exception {
        CurationStore store = new CurationStore(file());
        store.flag("/images/a/b/01.jpg", "bad", AT);
        store.flag("/images/a/b/02.jpg", "bad", AT);
        store.setOverride("/images/a/b/02.jpg", null, SubjectBox.of(0.1, 0.1, 0.5, 0.5));
        Curation c = store.unflag("/images/a/b/01.jpg");
        assertThat(c.entry("/images/a/b/01.jpg")).isEmpty();
        c = store.unflag("/images/a/b/02.jpg");
        assertThat(c.entry("/images/a/b/02.jpg").orElseThrow().flagged()).isFalse();
        assertThat(c.entry("/images/a/b/02.jpg").orElseThrow().subjectBox()).isEqualTo(SubjectBox.of(0.1, 0.1, 0.5, 0.5));
        // unflagging what is not flagged changes nothing
        byte[] before = Files.readAllBytes(file());
        store.unflag("/images/a/b/03.jpg");
        assertThat(Files.readAllBytes(file())).isEqualTo(before);
    }

    @Test
    void overridesAreRoundedClampedAndClearedWithNull() throws Exception {
        CurationStore store = new CurationStore(file());
        store.setOverride("/images/a/b/01.jpg", new FocalPoint(0.123456, 1.0), SubjectBox.of(0.0001, 0.2, 0.3, 0.4));
        String text = Files.readString(file());
        assertThat(text).contains("\"x\": 0.1235").contains("\"y\": 1").contains("\"x\": 0.0001").doesNotContain("E-");
        Curation c = store.setOverride("/images/a/b/01.jpg", null, null);
        assertThat(c.entries()).isEmpty();
    }

    @Test
    void rowsAndFieldsThisToolDoesNotKnowSurvive() throws Exception {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), """
                {"version": "1.0", "maintainer": "Marko", "entries": [
                  {"path": "/images/a/b/01.jpg", "reason": "old", "flaggedAt": "2026-01-01T00:00:00.000Z", "note": "keep me"},
                  {"path": "/images/a/b/02.jpg", "reason": "other", "ticket": 42}
                ]}
                """);
        CurationStore store = new CurationStore(file());
        store.flag("/images/a/b/01.jpg", "new reason", AT);
        store.flag("/images/a/b/03.jpg", "third", AT);
        String text = Files.readString(file());
        assertThat(text).contains("\"maintainer\": \"Marko\"", "\"note\": \"keep me\"", "\"ticket\": 42", "\"reason\": \"new reason\"");
        assertThat(text.indexOf("02.jpg")).isLessThan(text.indexOf("03.jpg"));
    }

    @Test
    void aMalformedFileIsNeverOverwritten() throws Exception {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), "{\"version\": \"1.0\", \"entries\": [ {\"path\": ");
        byte[] before = Files.readAllBytes(file());
        CurationStore store = new CurationStore(file());
        assertThatThrownBy(() -> store.flag("/images/a/b/01.jpg", "x", AT)).isInstanceOf(SiteFileException.class)
                .hasMessageContaining("image-curation.json");
        Files.writeString(file(), "{\"version\": \"1.0\", \"entries\": {\"not\": \"a list\"}}");
        byte[] notAList = Files.readAllBytes(file());
        assertThatThrownBy(() -> store.flag("/images/a/b/01.jpg", "x", AT)).hasMessageContaining("must be an array");
        assertThat(Files.readAllBytes(file())).isEqualTo(notAList).isNotEqualTo(before);
    }

    @Test
    void concurrentWritersLoseNothing() throws Exception {
        // two stores on one file, as the review server and a flag command would be, writing at once
        CurationStore a = new CurationStore(file());
        CurationStore b = new CurationStore(file());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                CurationStore store = i % 2 == 0 ? a : b;
                String path = "/images/missions/m/" + i + ".jpg";
                futures.add(pool.submit(() -> {
                    store.flag(path, "reason " + path, AT);
                    return null;
                }));
            }
            for (Future<?> f : futures) f.get();
        } finally {
            pool.shutdownNow();
        }
        Curation c = CurationFile.read(file());
        assertThat(c.entries()).hasSize(40);
        assertThat(c.entries()).allMatch(CurationEntry::flagged);
    }
}
