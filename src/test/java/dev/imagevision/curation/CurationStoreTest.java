package dev.imagevision.curation;

import dev.imagevision.fixtures.SiteFixtures;
import dev.imagevision.site.Site;
import dev.imagevision.site.SiteFileException;
import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.SubjectBox;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CurationStoreTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-07-05T19:00:00.123Z"), ZoneOffset.UTC);

    @TempDir
    Path root;
    Site site;
    CurationStore store;
    Path file;

    @BeforeEach
    void site() throws IOException {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < 100; i++) paths.add(String.format("/images/missions/m%d/%02d.jpg", i % 5, i));
        paths.add("/images/missions/juice/02.jpg");
        paths.add("/images/missions/juice/02.1x1.jpg"); // a variant row, as the real provenance has them
        SiteFixtures.writeSite(root, paths, Map.of("juice", "ACTIVE"));
        site = Site.load(root);
        store = CurationStore.of(site, CLOCK);
        file = root.resolve("static/data/image-curation.json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/images/missions/juice/02.jpg", "images/missions/juice/02.jpg",
            "static/images/missions/juice/02.jpg", "/static/images/missions/juice/02.jpg",
            "  /images/missions/juice/02.jpg\n", "./static/images/missions/juice/02.jpg"})
    void pathsAreNormalisedToTheManifestKey(String raw) throws IOException {
        CurationStore.Flagged f = store.flag(raw, "Stock photo of a juice drink");
        assertThat(f.entry().path()).isEqualTo("/images/missions/juice/02.jpg");
        assertThat(f.previousReason()).isNull();
        assertThat(Files.readString(file)).isEqualTo("""
                {
                  "version": "1.0",
                  "entries": [
                    {
                      "path": "/images/missions/juice/02.jpg",
                      "reason": "Stock photo of a juice drink",
                      "flaggedAt": "2026-07-05T19:00:00.123Z"
                    }
                  ]
                }
                """);
    }

    @Test
    void aFileOnDiskUnderTheStaticFolderIsAcceptedToo() throws IOException {
        Path onDisk = root.resolve("static/images/missions/juice/02.jpg").toAbsolutePath();
        assertThat(store.flag(onDisk.toString(), "wrong").entry().path()).isEqualTo("/images/missions/juice/02.jpg");
    }

    @Test
    void flaggingTwiceReplacesTheReason() throws IOException {
        store.flag("/images/missions/juice/02.jpg", "first");
        CurationStore.Flagged again = store.flag("/images/missions/juice/02.jpg", "second");
        assertThat(again.previousReason()).isEqualTo("first");
        assertThat(store.read().entries()).hasSize(1);
        assertThat(store.list()).extracting(CurationEntry::reason).containsExactly("second");
    }

    @Test
    void unknownPathIsRefusedAndNothingIsWritten() {
        assertThatThrownBy(() -> store.flag("/images/missions/nope/01.jpg", "bad"))
                .isInstanceOf(CurationException.class)
                .hasMessageContaining("/images/missions/nope/01.jpg is not a source image in the site's provenance");
        assertThat(file).doesNotExist();
    }

    @Test
    void aVariantPathIsRefusedWithItsSourceNamed() {
        assertThatThrownBy(() -> store.flag("/images/missions/juice/02.1x1.jpg", "bad"))
                .isInstanceOf(CurationException.class)
                .hasMessageContaining("it is a variant").hasMessageContaining("flag its source /images/missions/juice/02.jpg");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\n\t"})
    void emptyReasonIsRefusedAndTheFileIsUntouched(String reason) throws IOException {
        store.flag("/images/missions/m0/00.jpg", "keep me");
        byte[] before = Files.readAllBytes(file);
        assertThatThrownBy(() -> store.flag("/images/missions/juice/02.jpg", reason))
                .isInstanceOf(CurationException.class).hasMessageContaining("reason is empty");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void overlongOrControlCharacterReasonsAreRefused() {
        assertThatThrownBy(() -> store.flag("/images/missions/juice/02.jpg", "x".repeat(501)))
                .isInstanceOf(CurationException.class).hasMessageContaining("under 500");
        assertThatThrownBy(() -> store.flag("/images/missions/juice/02.jpg", "bell\u0007"))
                .isInstanceOf(CurationException.class).hasMessageContaining("control characters");
        assertThat(file).doesNotExist();
    }

    @Test
    void aMalformedCurationFileIsNeverOverwritten() throws IOException {
        Files.writeString(file, "{\"version\": \"1.0\", \"entries\": [ {\"path\": ");
        byte[] before = Files.readAllBytes(file);
        assertThatThrownBy(() -> store.flag("/images/missions/juice/02.jpg", "bad"))
                .isInstanceOf(SiteFileException.class).hasMessageContaining("image-curation.json")
                .hasMessageContaining("line 1");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void unflagLiftsTheFlagAndRefusesAPathThatIsNotFlagged() throws IOException {
        store.flag("/images/missions/juice/02.jpg", "bad");
        store.flag("/images/missions/m1/01.jpg", "also bad");
        CurationEntry lifted = store.unflag("static/images/missions/juice/02.jpg");
        assertThat(lifted.reason()).isEqualTo("bad");
        assertThat(store.read().flagged("/images/missions/juice/02.jpg")).isFalse();
        byte[] before = Files.readAllBytes(file);
        assertThatThrownBy(() -> store.unflag("/images/missions/juice/02.jpg"))
                .isInstanceOf(CurationException.class).hasMessageContaining("is not flagged");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void overridesAreClampedValidatedAndKeptThroughUnflag() throws IOException {
        store.override("/images/missions/juice/02.jpg", new FocalPoint(1.2, 0.4), new SubjectBox(0.5, 0.5, 0.9, 0.2), "Surface");
        CurationEntry e = store.read().entry("/images/missions/juice/02.jpg").orElseThrow();
        assertThat(e.focalPoint()).isEqualTo(new FocalPoint(1, 0.4));
        assertThat(e.subjectBox()).isEqualTo(new SubjectBox(0.5, 0.5, 0.5, 0.2));
        assertThat(e.category()).isEqualTo("surface");
        assertThat(e.flagged()).isFalse();
        store.flag("/images/missions/juice/02.jpg", "bad");
        store.unflag("/images/missions/juice/02.jpg");
        assertThat(store.read().entry("/images/missions/juice/02.jpg").orElseThrow().focalPoint())
                .isEqualTo(new FocalPoint(1, 0.4));
        assertThatThrownBy(() -> store.override("/images/missions/juice/02.jpg", null, null, "selfie"))
                .isInstanceOf(CurationException.class).hasMessageContaining("not one of");
        store.override("/images/missions/juice/02.jpg", null, null, null);
        assertThat(store.read().entries()).isEmpty(); // nothing left in the row
    }

    @Test
    void writesLeaveNoTemporaryFilesAndNoLockInTheSite() throws IOException {
        for (int i = 0; i < 5; i++) store.flag(String.format("/images/missions/m%d/%02d.jpg", i % 5, i), "r" + i);
        try (Stream<Path> data = Files.list(root.resolve("static/data"))) {
            assertThat(data.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    "image-curation.json", "image-provenance.json", "missions");
        }
        assertThat(root.resolve(".image-cache/curation.lock")).exists();
        assertThat(new String(Files.readAllBytes(file), StandardCharsets.UTF_8)).endsWith("}\n");
    }

    @Test
    void threadsOnSeparateStoresAndChannelsLoseNothing() throws Exception {
        // two store objects = two FileChannels on the lock file, as two review-server handlers or tools in one JVM
        CurationStore a = CurationStore.of(site, CLOCK);
        CurationStore b = CurationStore.of(site, CLOCK);
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread ta = new Thread(() -> flagRange(a, 0, 50, failures));
        Thread tb = new Thread(() -> flagRange(b, 50, 100, failures));
        ta.start();
        tb.start();
        ta.join();
        tb.join();
        assertThat(failures).isEmpty();
        assertThat(store.read().entries()).hasSize(100);
        assertThat(store.read().entries()).allSatisfy(e -> assertThat(e.flagged()).isTrue());
    }

    static void flagRange(CurationStore s, int from, int to, List<Throwable> failures) {
        try {
            for (int i = from; i < to; i++) s.flag(String.format("/images/missions/m%d/%02d.jpg", i % 5, i), "reason " + i);
        } catch (Throwable t) {
            failures.add(t);
        }
    }
}
