package dev.imagevision.pipeline;

import dev.imagevision.curation.Curation;
import dev.imagevision.inventory.Image;
import dev.imagevision.inventory.Inventory;
import dev.imagevision.manifest.Fresh;
import dev.imagevision.manifest.Manifest;
import dev.imagevision.manifest.ManifestBuilder;
import dev.imagevision.manifest.ManifestFile;
import dev.imagevision.site.Site;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The manifest stage: what every source of the site is after this run (the images in scope as the
 * judgements and variants stages left them, every other one as the cache has it) folded into the
 * previous manifest, written byte-stably, and what it dropped said on the log.
 */
public final class ManifestStage {
    private ManifestStage() {}

    /** The manifest as written, its bytes, and where. */
    public record Written(ManifestBuilder.Result built, byte[] bytes, Path file) {
        public Manifest manifest() {
            return built.manifest();
        }
    }

    public static Written write(Site site, Manifest previous, Inventory inventory, Map<String, PerImage.Done> done,
                         Curation curation, PrintStream log) throws IOException {
        List<Fresh> fresh = new ArrayList<>();
        for (Image i : inventory.images()) {
            PerImage.Done d = done.get(i.path());
            var cut = d == null ? null : d.cut();
            var variants = cut == null ? null : cut.variants();
            var windows = cut == null ? null : cut.windows();
            fresh.add(d != null && adopted(d.judged()) ? Fresh.adopted(i.path(), i.sha256(), variants, windows)
                    : Fresh.of(i.path(), d == null ? i.cached() : d.judged().record(), variants, windows));
        }
        ManifestBuilder.Result built = ManifestBuilder.build(previous, fresh, inventory.present(), curation,
                site.missions(), site.config().scoreThreshold());
        Path file = site.file(site.config().paths().manifest());
        byte[] bytes = ManifestFile.bytes(built.manifest());
        ManifestFile.write(file, bytes);
        for (ManifestBuilder.Dropped drop : built.dropped()) {
            log.println("dropped " + drop.path() + " from the manifest: " + drop.reason() + " (its variant files are left on disk)");
        }
        for (String line : dev.imagevision.manifest.SelectionChanges.lines(previous, built.manifest())) log.println(line);
        for (String id : built.unknownMissions()) {
            log.println("note: mission \"" + id + "\" is not in the missions index; its renders are treated as not PLANNED");
        }
        return new Written(built, bytes, file);
    }

    /**
     * The entry keeps the previous tool's judgement: adopted this run, or flagged with no judgement of
     * ours (the mark is written all the same, so lifting the flag restores the judgement without a call).
     */
    private static boolean adopted(dev.imagevision.judgements.Judged j) {
        if (j.adopted()) return true;
        return j.decision() == dev.imagevision.judgements.Decision.FLAGGED && j.judgement() == null
                && j.image().adoptedJudgement() != null;
    }
}
