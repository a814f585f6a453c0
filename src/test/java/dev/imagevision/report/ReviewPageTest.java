package dev.imagevision.report;

import dev.imagevision.curation.CurationStore;
import dev.imagevision.manifest.Manifest;
import dev.imagevision.manifest.ManifestEntry;
import dev.imagevision.manifest.ManifestFile;
import dev.imagevision.site.Site;
import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.SubjectBox;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** The review page is made once per change of what it shows, and every change is on the next load. */
class ReviewPageTest {
    @TempDir
    Path dir;
    Site site;
    ReviewPage page;

    @BeforeEach
    void site() throws Exception {
        site = FixtureSite.create(dir);
        Map<String, ManifestEntry> entries = new TreeMap<>();
        for (var s : site.sources()) {
            entries.put(s.path(), new ManifestEntry(7, "A frame", "spacecraft", new FocalPoint(0.5, 0.5),
                    new SubjectBox(0.3, 0.3, 0.4, 0.4), true, null, Map.of(), null, null,
                    false, new ManifestEntry.Selection(s.image().group(), "none", null), "local", "imagevision-local",
                    "2026-08-01T10:00:00.000Z", 0.0));
        }
        ManifestFile.write(site.file(site.config().paths().manifest()),
                new Manifest(1, "2026-08-01T10:00:00.000Z", "local", "imagevision-local", "local-1", entries));
        page = new ReviewPage(site, CurationStore.of(site, FixtureSite.CLOCK), AuditPage.Mode.review(ReviewServerTest.TOKEN),
                p -> "/original" + p, dev.imagevision.testing.Runs.CODEC);
    }

    private String html() throws Exception {
        return new String(page.html(), StandardCharsets.UTF_8);
    }

    @Test
    void anUnchangedSiteIsRenderedOnceAndEveryRequestSharesIt() throws Exception {
        byte[] first = page.html();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<byte[]>> loads = new ArrayList<>();
        try (var requests = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 24; i++) {
                loads.add(requests.submit(() -> {
                    go.await();
                    return page.html();
                }));
            }
            go.countDown();
        }
        for (Future<byte[]> load : loads) assertThat(load.get()).isSameAs(first);
    }

    @Test
    void aFlagAnUnflagAndAnotherFlagFromAnotherProcessAreEachOnTheNextLoad() throws Exception {
        assertThat(html()).doesNotContain("flagged-as-bent-antenna");
        // the CLI's `imagevision flag` writes the same file from another process: only the file tells
        CurationStore cli = CurationStore.of(site, FixtureSite.CLOCK);
        cli.flag(FixtureSite.RS25, "flagged-as-bent-antenna");
        assertThat(html()).contains("flagged-as-bent-antenna");
        cli.unflag(FixtureSite.RS25);
        assertThat(html()).doesNotContain("flagged-as-bent-antenna");
        cli.flag(FixtureSite.RS25, "flagged-as-lens-flare");
        assertThat(html()).contains("flagged-as-lens-flare").doesNotContain("flagged-as-bent-antenna");
    }

    @Test
    void theServersOwnWriteMakesTheNextLoadANewPage() throws Exception {
        byte[] before = page.html();
        page.changed();
        byte[] after = page.html();
        assertThat(after).isNotSameAs(before).isEqualTo(before);
    }

    @Test
    void aReplacedImageIsOnTheNextLoad() throws Exception {
        String before = html();
        Path rs25 = site.root().resolveImage(FixtureSite.RS25);
        Files.copy(site.root().resolveImage(FixtureSite.ARTEMIS_02), rs25, StandardCopyOption.REPLACE_EXISTING);
        assertThat(html()).isNotEqualTo(before);
    }

    @Test
    void aPageWithAnImageThatHadNoPreviewIsMadeAgain() throws Exception {
        Files.delete(site.root().resolveImage(FixtureSite.CREW_03));
        byte[] first = page.html();
        assertThat(new String(first, StandardCharsets.UTF_8)).contains("missing");
        assertThat(page.html()).isNotSameAs(first);
    }
}
