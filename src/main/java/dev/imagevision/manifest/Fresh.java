package dev.imagevision.manifest;

import dev.imagevision.crop.CropWindow;
import dev.imagevision.vision.Judgement;
import dev.imagevision.vision.Usage;

import java.util.Map;

/**
 * What this run knows of one source image: its cached or new judgement (null when it has none)
 * with the provider, model, prompt version and score key that made it, and its variants (null
 * when they were not made or checked this run, so the manifest keeps what it had).
 */
public record Fresh(String path, Judgement judgement, String provider, String model, String scoredAt, Usage usage,
                    Map<String, String> variants, Map<String, CropWindow.Fraction> cropWindows, String promptVersion,
                    String scoreKey, String adoptedSha256) {

    public Fresh(String path, Judgement judgement, String provider, String model, String scoredAt, Usage usage,
                 Map<String, String> variants, Map<String, CropWindow.Fraction> cropWindows, String promptVersion,
                 String scoreKey) {
        this(path, judgement, provider, model, scoredAt, usage, variants, cropWindows, promptVersion, scoreKey, null);
    }

    /**
     * An entry of the site's previous tool adopted for the image bytes {@code sha256}: the manifest keeps
     * its judgement as it is and marks it; only its variants come from this run.
     */
    public static Fresh adopted(String path, String sha256, Map<String, String> variants,
                                Map<String, CropWindow.Fraction> cropWindows) {
        return new Fresh(path, null, null, null, null, null, variants, cropWindows, null, null, sha256);
    }

    /**
     * What a run knows of one source: the score record it goes on with (a usable one carries the
     * judgement and who made it; a failed one or none carries nothing) and its variants as looked at
     * this run (null: not looked at).
     */
    public static Fresh of(String path, dev.imagevision.cache.ScoreRecord record, Map<String, String> variants,
                           Map<String, CropWindow.Fraction> cropWindows) {
        if (record == null || !record.usable()) return new Fresh(path, null, null, null, null, null, variants, cropWindows);
        return new Fresh(path, record.judgement(), record.provider(), record.model(), record.scoredAt(), record.usage(),
                variants, cropWindows, record.promptVersion(), record.key());
    }

    /** Variants only, or a judgement whose prompt version and score key are not known. */
    public Fresh(String path, Judgement judgement, String provider, String model, String scoredAt, Usage usage,
                 Map<String, String> variants, Map<String, CropWindow.Fraction> cropWindows) {
        this(path, judgement, provider, model, scoredAt, usage, variants, cropWindows, null, null);
    }
}
