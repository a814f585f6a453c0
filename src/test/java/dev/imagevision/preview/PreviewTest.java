package dev.imagevision.preview;

import dev.imagevision.site.Site;
import dev.imagevision.site.SiteFileException;
import dev.imagevision.testing.SampleSite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Writing the preview: where it goes, how it finds the images from there, and what it refuses. */
class PreviewTest {
    static final String MANIFEST = """
            {"version": 1, "generated_at": null, "entries": {"/images/missions/hubble/01.jpg": {"score": 8,
             "subject": "A deep field.", "category": "orbital", "focal_point": {"x": 0.5, "y": 0.5},
             "variants": {"16x9": "/images/missions/hubble/01.16x9.jpg"}, "rejected_by": null, "fallback": false,
             "scored_at": null, "scoring_cost_usd": 0}}}
            """;

    static Site site(Path dir, String config) throws Exception {
        Path root = SampleSite.copyTo(dir.resolve("site"));
        if (config != null) Files.writeString(root.resolve("imagevision.json"), config);
        Files.writeString(root.resolve("static/data/image-vision.json"), MANIFEST);
        return Site.load(root);
    }

    @Test
    void byDefaultItSitsBesideTheReportAndReachesTheImagesOneFolderUp(@TempDir Path dir) throws Exception {
        Site site = site(dir, null);
        Path target = site.file(site.config().paths().preview());
        assertThat(target).isEqualTo(site.root().root().resolve("static/data/preview.html"));
        Preview.Written w = Preview.write(site, target);
        assertThat(w.changed()).isTrue();
        assertThat(w.entries()).isEqualTo(1);
        String html = Files.readString(target);
        assertThat(html).contains("{\"base\":\"../\",\"staticDir\":\"static\"}").contains("<a href=\"audit-report.html\">");
        assertThat(html).contains("\"subject\":\"A deep field.\"");
        // the provenance as the site wrote it, only made compact
        assertThat(html).contains("\"credit\":\"NASA/ESA Hubble (HUDF 2012)\"");

        long modified = Files.getLastModifiedTime(target).toMillis();
        Preview.Written again = Preview.write(site, target);
        assertThat(again.changed()).as("the same inputs give the same page, not rewritten").isFalse();
        assertThat(Files.getLastModifiedTime(target).toMillis()).isEqualTo(modified);
    }

    @Test
    void aConfiguredPathMovesItAndItsLinks(@TempDir Path dir) throws Exception {
        Site site = site(dir, "{\"paths\": {\"preview\": \"review pages/preview.html\", \"report\": \"audit.html\"}}");
        Path target = site.file(site.config().paths().preview());
        Preview.write(site, target);
        String html = Files.readString(target);
        assertThat(html).contains("{\"base\":\"../static/\",\"staticDir\":\"static\"}").contains("<a href=\"../audit.html\">");
    }

    @Test
    void withoutAManifestItSaysToScoreFirst(@TempDir Path dir) throws Exception {
        Site site = site(dir, null);
        Files.delete(site.file(site.config().paths().manifest()));
        assertThatThrownBy(() -> Preview.write(site, site.file(site.config().paths().preview())))
                .isInstanceOf(SiteFileException.class).hasMessageContaining("image-vision.json")
                .hasMessageContaining("no manifest yet: run imagevision score");
        assertThat(site.file(site.config().paths().preview())).doesNotExist();
    }

    @Test
    void aMalformedManifestIsNamedWithLineAndColumn(@TempDir Path dir) throws Exception {
        Site site = site(dir, null);
        Files.writeString(site.file(site.config().paths().manifest()), "{\"version\": 1,\n \"entries\": {,}}");
        assertThatThrownBy(() -> Preview.write(site, site.file(site.config().paths().preview())))
                .isInstanceOf(SiteFileException.class).hasMessageContaining("image-vision.json").hasMessageContaining("line 2");
    }
}
