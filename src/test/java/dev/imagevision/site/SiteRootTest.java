package dev.imagevision.site;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SiteRootTest {

    @ParameterizedTest
    @ValueSource(strings = {"/images/../../etc/passwd", "/images/%2e%2e/%2e%2e/etc/passwd", "/images/%2E%2E%2Fsecret.jpg",
            "//etc/passwd", "C:/Windows/x.jpg", "images/no-leading-slash.jpg", "/images/a\\..\\b.jpg",
            "/images/./x.jpg", "/images/x\u0000.jpg", "file:///etc/passwd", ""})
    void pathsThatCouldLeaveTheSiteAreRefused(String path) {
        assertThat(SiteRoot.unsafeReason(path)).isPresent();
        SiteRoot root = new SiteRoot(Path.of("/tmp/site"), "static");
        assertThatThrownBy(() -> root.resolveImage(path)).isInstanceOf(SiteRoot.PathEscapeException.class)
                .hasMessageContaining("refused provenance path");
    }

    @Test
    void ordinaryPathsResolveUnderTheStaticFolder() {
        SiteRoot root = new SiteRoot(Path.of("/tmp/site"), "static");
        assertThat(SiteRoot.unsafeReason("/images/missions/juice/01.jpg")).isEmpty();
        assertThat(root.resolveImage("/images/missions/juice/01.jpg"))
                .isEqualTo(Path.of("/tmp/site/static/images/missions/juice/01.jpg"));
    }

    @Test
    void aSymlinkPointingOutsideTheSiteIsRefusedAndNeverRead(@TempDir Path tmp) throws Exception {
        Path outside = Files.writeString(tmp.resolve("secret.jpg"), "secret");
        Path site = tmp.resolve("site");
        Files.createDirectories(site.resolve("static/images/a"));
        Files.createSymbolicLink(site.resolve("static/images/a/01.jpg"), outside);
        SiteRoot root = new SiteRoot(site, "static");
        assertThatThrownBy(() -> root.readableImage("/images/a/01.jpg"))
                .isInstanceOf(SiteRoot.PathEscapeException.class).hasMessageContaining("outside the site");
    }

    @Test
    void aSymlinkInsideTheSiteIsFollowed(@TempDir Path tmp) throws Exception {
        Path site = tmp.resolve("site");
        Files.createDirectories(site.resolve("static/images/a"));
        Path real = Files.writeString(site.resolve("static/images/a/real.jpg"), "x");
        Files.createSymbolicLink(site.resolve("static/images/a/01.jpg"), real);
        assertThat(new SiteRoot(site, "static").readableImage("/images/a/01.jpg")).isEqualTo(real.toRealPath());
    }
}
