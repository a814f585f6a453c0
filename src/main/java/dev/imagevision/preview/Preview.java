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
        return write(site, target, null);
    }

    /**
     * As {@link #write(Site, Path)}; with the run's stat index, a page whose inputs (manifest, provenance,
     * the page's own script and style) are those it was last written from is left as it is without being
     * drawn again, so a warm run spends nothing on it.
     */
    public static Written write(Site site, Path target, dev.imagevision.cache.StatIndex index) throws IOException {
        var paths = site.config().paths();
        Path manifestFile = site.file(paths.manifest());
        String inputs = null;
        String name = "preview:" + site.root().root().relativize(target.toAbsolutePath().normalize()).toString().replace('\\', '/');
        if (index != null && Files.isRegularFile(manifestFile)) {
            var md = dev.imagevision.cache.Hashing.sha256();
            md.update((PreviewPage.MAKINGS + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
            // by the content hashes the stat index keeps (re-hashed when size or time changed), as sources are:
            // a warm run neither reads nor hashes the manifest and provenance again for the preview
            md.update((index.sha256("file:" + paths.manifest(), manifestFile) + "\n").getBytes(StandardCharsets.UTF_8));
            md.update(index.sha256("file:" + paths.provenance(), site.file(paths.provenance())).getBytes(StandardCharsets.UTF_8));
            inputs = java.util.HexFormat.of().formatHex(md.digest());
            if (index.outputUpToDate(name, target, inputs)) return new Written(target, -1, Files.size(target), false);
        }
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
        if (index != null) index.recordOutput(name, target, inputs);
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
