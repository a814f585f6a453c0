package dev.imagevision.inventory;

import dev.imagevision.crop.CropSpec;
import dev.imagevision.curation.CurationEntry;
import dev.imagevision.manifest.ManifestEntry;
import dev.imagevision.vision.Judgement;

import java.util.List;
import java.util.Map;

/**
 * Whether an incremental run ({@code --new-only}, the default) takes an image: pure over the
 * inventory's facts. It takes an image the manifest lacks, one without a usable score, and one
 * whose variants are stale; an entry made under the image's current score key stands in for a
 * score the cache has lost (spec M20: never reprocess unchanged entries).
 */
public final class NeedsWork {
    private NeedsWork() {}

    /**
     * @param library the imaging library's major version, part of every variant key
     */
    public static boolean of(Image image, List<CropSpec> specs, boolean skipCrops, String library) {
        ManifestEntry entry = image.entry();
        if (entry == null) return true;
        if (image.error() != null) return true;
        // the judgement the image goes on with: the previous tool's while it stands (as the run decides), else ours
        Judgement adopted = image.adoptedJudgement();
        // another tool's judgement is adopted, and marked with the bytes it belongs to, the first time it is met
        if (adopted != null && entry.adopted() == null) return true;
        Judgement j = adopted != null ? adopted : image.cachedJudgement();
        if (j == null && current(image, entry, skipCrops)) return false;
        if (!image.flagged() && j == null) return true;
        if (skipCrops || !image.croppable(j)) return false;
        for (CropSpec spec : specs) {
            VariantSlot slot = image.slot(spec.id());
            if (slot.writable() && !slot.upToDate(image.variantKey(j, spec, library))) return true;
        }
        return false;
    }

    /**
     * True when a manifest entry is what a run with the score cache would keep as it is: made under this
     * very score key (same bytes, provider, model and prompt version), with the editor's flag and crop
     * overrides already in it, and every variant the tool may write named and on disk. Without the
     * judgement nothing could be cut again, so anything less needs work, which then means a fresh score.
     */
    static boolean current(Image image, ManifestEntry entry, boolean skipCrops) {
        if (entry.scoreKey() == null || !entry.scoreKey().equals(image.scoreKey())) return false;
        if (!image.flagged() && entry.score() != null && entry.score() == 0) return false; // unflagged: the model's score is needed again
        CurationEntry row = image.curation();
        if (row != null && row.focalPoint() != null && !row.focalPoint().equals(entry.focalPoint())) return false;
        if (row != null && row.subjectBox() != null && !row.subjectBox().equals(entry.subjectBox())) return false;
        if (skipCrops) return true;
        Map<String, String> variants = entry.variants();
        for (VariantSlot slot : image.variants()) {
            if (!slot.writable()) continue; // a variant the tool may not write is not missing work
            String variant = variants == null ? null : variants.get(slot.id());
            if (variant == null || !variant.equals(slot.path()) || !slot.present()) return false;
        }
        return true;
    }
}
