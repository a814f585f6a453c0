package dev.imagevision.inventory;

import dev.imagevision.cache.CacheKeys;
import dev.imagevision.cache.ScoreRecord;
import dev.imagevision.crop.CropSpec;
import dev.imagevision.curation.CurationEntry;
import dev.imagevision.manifest.ManifestEntry;
import dev.imagevision.site.SourceImage;
import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.Judgement;
import dev.imagevision.vision.SubjectBox;

import java.nio.file.Path;
import java.util.List;

/**
 * One source image as the run found it on disk, read once at inventory: where its file is, its
 * content hash and score key, its cached score, the editor's row, its previous manifest entry, where
 * its variants go and what is there now, or why it cannot be used. Immutable: every later decision
 * is a pure function of it.
 *
 * @param cached   the score cache's record under this image's score key, or null
 * @param entry    the previous manifest's entry for this path, or null
 * @param variants one per crop spec, in spec order (empty for an image that cannot be used)
 * @param width    upright pixel width as the stat index knows it (0 when unknown)
 * @param error    why the image cannot be used this run, or null
 * @param missing  the file provenance names is not there at all (the image left the site)
 */
public record Image(SourceImage source, Path file, String sha256, String scoreKey, ScoreRecord cached,
                    CurationEntry curation, ManifestEntry entry, List<VariantSlot> variants, int width, int height,
                    String error, boolean missing) {

    public Image {
        variants = List.copyOf(variants);
    }

    /** An image that cannot be used this run, and why. */
    public static Image unusable(SourceImage source, Path file, CurationEntry curation, ManifestEntry entry, String error,
                          boolean missing) {
        return new Image(source, file, null, null, null, curation, entry, List.of(), 0, 0, error, missing);
    }

    public String path() {
        return source.path();
    }

    public boolean flagged() {
        return curation != null && curation.flagged();
    }

    /** The cached judgement, when the cache holds a usable one. */
    public Judgement cachedJudgement() {
        return cached != null && cached.usable() ? cached.judgement() : null;
    }

    /**
     * The judgement of the site's previous tool that this image's manifest entry holds for its current
     * bytes, adopted as it is, or null (see {@link dev.imagevision.manifest.Adoption}).
     */
    public Judgement adoptedJudgement() {
        return dev.imagevision.manifest.Adoption.adoptable(entry, sha256).orElse(null);
    }

    /** These very bytes failed before in a way they always will: reported again, never re-sent. */
    public boolean rememberedFault() {
        return cached != null && cached.imageFault();
    }

    /** The focal point a crop uses: the editor's override, else the judgement's, else the centre. */
    public FocalPoint focalPoint(Judgement j) {
        if (curation != null && curation.focalPoint() != null) return curation.focalPoint();
        return j == null ? FocalPoint.CENTRE : j.focalPoint();
    }

    /** The subject box a crop keeps: the editor's override, else the judgement's. */
    public SubjectBox subjectBox(Judgement j) {
        if (curation != null && curation.subjectBox() != null) return curation.subjectBox();
        return j == null ? null : j.subjectBox();
    }

    /** Variants can be cut once there is a judgement, or the editor flagged the image (crops then use the override or the centre). */
    public boolean croppable(Judgement j) {
        return error == null && (j != null || flagged());
    }

    /** Variant cache key of one spec, from the effective focal point and box. */
    public String variantKey(Judgement j, CropSpec spec, String library) {
        return CacheKeys.variant(sha256, focalPoint(j), subjectBox(j), spec, library);
    }

    /** The variant slot of a spec. */
    public VariantSlot slot(String id) {
        for (VariantSlot s : variants) if (s.id().equals(id)) return s;
        throw new IllegalArgumentException("no variant " + id + " for " + path());
    }
}
