package dev.imagevision.report;

import dev.imagevision.cache.StatIndex;
import dev.imagevision.crop.ImageException;
import dev.imagevision.curation.CurationFile;
import dev.imagevision.manifest.ManifestFile;
import dev.imagevision.pipeline.TestSite;
import dev.imagevision.site.Site;
import dev.imagevision.testing.Runs;
import dev.imagevision.vision.local.LocalProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report reads its sources through {@link AuditReport.Sources}: a machine that holds no image (a
 * distributed run's driver) renders the same page from the hashes and sizes its workers read, as long
 * as the thumbnails are in the cache; it never needs a source file then.
 */
class ReportSourcesTest {
    @TempDir
    Path dir;

    @Test
    void aPageFromHashesAndCachedThumbnailsEqualsThePageFromTheFiles() throws IOException {
        TestSite t = new TestSite(dir.resolve("site")).images("juice", 3);
        t.write(Map.of("provider", "local"));
        Runs.score(t.root, new LocalProvider(Runs.CODEC, Long.MAX_VALUE));
        Site site = Site.load(t.root);
        Path report = site.file(site.config().paths().report());
        byte[] fromFiles = Files.readAllBytes(report);
        Files.delete(report);

        StatIndex index = StatIndex.load(t.root.resolve(".image-cache/stat-index.json"));
        AuditReport.Sources disk = AuditReport.Sources.onDisk(site.root(), index);
        Map<String, String> asked = new LinkedHashMap<>();
        AuditReport.Sources remote = new AuditReport.Sources() {
            @Override
            public String sha256(String path) throws IOException {
                asked.put(path, "sha256");
                return disk.sha256(path);
            }

            @Override
            public Path file(String path) {
                throw new AssertionError("a cached thumbnail needs no source file: " + path);
            }

            @Override
            public int[] orientedSize(String path) throws IOException, ImageException {
                return disk.orientedSize(path);
            }
        };
        AuditReport.Written w = AuditReport.write(site, ManifestFile.read(site.file(site.config().paths().manifest())),
                Files.readAllBytes(site.file(site.config().paths().manifest())),
                CurationFile.read(site.file(site.config().paths().curation())), StatIndex.load(dir.resolve("none.json")),
                report, remote, Runs.CODEC);
        assertThat(w.thumbnailsMade()).isZero();
        assertThat(w.thumbnailFailures()).isZero();
        assertThat(asked).containsKeys(t.paths().toArray(String[]::new));
        assertThat(Files.readAllBytes(report)).isEqualTo(fromFiles);
    }
}
