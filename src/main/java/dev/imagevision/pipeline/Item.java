package dev.imagevision.pipeline;

import dev.imagevision.cache.ScoreRecord;
import dev.imagevision.curation.CurationEntry;
import dev.imagevision.site.SourceImage;
import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.Judgement;
import dev.imagevision.vision.SubjectBox;

import java.nio.file.Path;

/**
 * One source image as the run sees it: where its file is, its content hash and score key, the
 * cached score if any, the editor's row if any, or why it cannot be used.
 */
final class Item {
    final SourceImage source;
    final Path file;
    final String sha256;
    final String scoreKey;
    final CurationEntry curation;
    final String error;
    /** The file provenance names is not there at all (the image left the site; its manifest entry goes too). */
    final boolean missing;
    /** Per crop spec, in spec order: where its variant goes and whether it may be written there. */
    final java.util.List<VariantSlot> variants;
    volatile ScoreRecord record;

    Item(SourceImage source, Path file, String sha256, String scoreKey, ScoreRecord record, CurationEntry curation,
         String error) {
        this(source, file, sha256, scoreKey, record, curation, error, false, java.util.List.of());
    }

    Item(SourceImage source, Path file, String sha256, String scoreKey, ScoreRecord record, CurationEntry curation,
         String error, boolean missing) {
        this(source, file, sha256, scoreKey, record, curation, error, missing, java.util.List.of());
    }

    Item(SourceImage source, Path file, String sha256, String scoreKey, ScoreRecord record, CurationEntry curation,
         String error, boolean missing, java.util.List<VariantSlot> variants) {
        this.source = source;
        this.file = file;
        this.sha256 = sha256;
        this.scoreKey = scoreKey;
        this.record = record;
        this.curation = curation;
        this.error = error;
        this.missing = missing;
        this.variants = java.util.List.copyOf(variants);
    }

    /** The same item with its variant slots, found at inventory. */
    Item withVariants(java.util.List<VariantSlot> slots) {
        return new Item(source, file, sha256, scoreKey, record, curation, error, missing, slots);
    }

    String path() {
        return source.path();
    }

    boolean flagged() {
        return curation != null && curation.flagged();
    }

    Judgement judgement() {
        ScoreRecord r = record;
        return r != null && r.usable() ? r.judgement() : null;
    }

    /** The editor's override wins over the model's focal point. */
    FocalPoint focalPoint() {
        if (curation != null && curation.focalPoint() != null) return curation.focalPoint();
        Judgement j = judgement();
        return j == null ? FocalPoint.CENTRE : j.focalPoint();
    }

    SubjectBox subjectBox() {
        if (curation != null && curation.subjectBox() != null) return curation.subjectBox();
        Judgement j = judgement();
        return j == null ? null : j.subjectBox();
    }

    /** Variants can be cut once the image has a judgement, or the editor flagged it (crops then use the override or the centre). */
    boolean croppable() {
        return error == null && (judgement() != null || flagged());
    }
}
