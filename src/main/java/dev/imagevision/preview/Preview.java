package dev.imagevision.preview;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.imagevision.cache.AtomicFiles;
import dev.imagevision.report.AuditReport;
import dev.imagevision.site.Json;
import dev.imagevision.site.Site;
import dev.imagevision.site.SiteFileException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The preview stage's shell: reads the manifest and provenance as the site's front end will, and
 * writes the page atomically next to them (by default {@code static/data/preview.html}).
 */
public final class Preview {
    private Preview() {}

    /** What writing the preview did. */
    public record Written(Path file, int entries, long bytes, boolean changed) {}

    /**
     * Writes the preview of the site's manifest to {@code target}; rewrites nothing when the page would
     * be the same. A missing or malformed manifest or provenance file is a {@link SiteFileException}.
     */
    public static Written write(Site site, Path target) throws IOException {
        var paths = site.config().paths();
        Path manifestFile = site.file(paths.manifest());
        if (!Files.isRegularFile(manifestFile)) {
            throw new SiteFileException(manifestFile, "no manifest yet: run imagevision score (or demo) first, "
                    + "then imagevision preview");
        }
        JsonNode manifest = Json.readTree(manifestFile);
        JsonNode provenance = Json.readTree(site.file(paths.provenance()));
        Path dir = target.toAbsolutePath().normalize().getParent();
        Path report = site.file(paths.report());
        String toStatic = AuditReport.relativeUrl(dir, site.root().staticDir());
        PreviewPage.Links links = new PreviewPage.Links(toStatic.isEmpty() ? "" : toStatic + "/", paths.staticDir(),
                AuditReport.relativeUrl(dir, report));
        String html = PreviewPage.render(compact(manifestFile, manifest), compact(site.file(paths.provenance()), provenance), links);
        byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
        boolean changed = AtomicFiles.writeIfChanged(target, bytes);
        JsonNode entries = manifest.path("entries");
        return new Written(target, entries.isObject() ? entries.size() : 0, bytes.length, changed);
    }

    private static String compact(Path file, JsonNode node) {
        try {
            return Json.LENIENT.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new SiteFileException(file, "cannot be embedded in the preview: " + e.getOriginalMessage(), e);
        }
    }
}
