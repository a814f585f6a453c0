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
            if (variants == null && i.entry() != null && i.entry().variants() != null) {
                // a variant the tool may not write is never published, cut this run or not: the file there is not its
                Map<String, String> kept = new java.util.TreeMap<>(i.entry().variants());
                Map<String, dev.imagevision.crop.CropWindow.Fraction> keptWindows =
                        i.entry().cropWindows() == null ? null : new java.util.TreeMap<>(i.entry().cropWindows());
                boolean withheld = false;
                for (var slot : i.variants()) {
                    if (slot.writable() || !kept.containsKey(slot.id())) continue;
                    kept.remove(slot.id());
                    if (keptWindows != null) keptWindows.remove(slot.id());
                    withheld = true;
                }
                if (withheld) {
                    variants = kept;
                    windows = keptWindows;
                }
            }
            // an adopted judgement still standing is rebuilt from its mark in scope or not, as a cached one is
            boolean adopted = d != null ? adopted(d.judged()) : i.entry() != null && i.entry().adopted() != null
                    && i.adoptedJudgement() != null;
            fresh.add(adopted ? Fresh.adopted(i.path(), i.sha256(), variants, windows)
                    : Fresh.of(i.path(), d == null ? i.cached() : d.judged().record(), variants, windows));
        }
        ManifestBuilder.Result built = ManifestBuilder.build(previous, fresh,
                inventory.present().withdrawing(unusable(inventory, fresh)), curation, site.missions(),
                site.config().scoreThreshold());
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
     * Entries an older tool wrote whose judgement cannot be used (a score of 11, a focal point outside the
     * frame, an unknown category) and for which this run had no judgement of its own: they leave the
     * manifest, named, rather than publish what no one can vouch for; the image is scored like a new one.
     */
    private static Map<String, String> unusable(Inventory inventory, List<Fresh> fresh) {
        Map<String, Fresh> byPath = new java.util.HashMap<>();
        for (Fresh f : fresh) byPath.put(f.path(), f);
        Map<String, String> out = new java.util.TreeMap<>();
        for (Image i : inventory.images()) {
            var e = i.entry();
            if (e == null || e.scoreKey() != null || e.adopted() != null || i.flagged() || i.error() != null) continue;
            Fresh f = byPath.get(i.path());
            if (f != null && (f.judgement() != null || f.adoptedSha256() != null)) continue;
            String why = dev.imagevision.manifest.Adoption.whyNot(e);
            if (why != null) {
                out.put(i.path(), "the judgement an older tool made of it cannot be used (" + why
                        + ") and this run had none of its own; it is scored like a new image");
            }
        }
        return out;
    }

    /**
     * The entry keeps the previous tool's judgement: adopted this run, or flagged while that judgement
     * stands (the mark is written all the same, so lifting the flag restores it without a call).
     */
    private static boolean adopted(dev.imagevision.judgements.Judged j) {
        if (j.adopted()) return true;
        return j.decision() == dev.imagevision.judgements.Decision.FLAGGED && j.image().adoptedJudgement() != null;
    }
}
