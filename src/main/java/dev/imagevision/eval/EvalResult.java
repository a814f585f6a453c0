package dev.imagevision.eval;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * Every figure of one evaluation run, in the shape {@code eval --json} prints. Rates are
 * fractions; a rate with nothing to count is null rather than a made-up number.
 */
public record EvalResult(@JsonProperty("images") int images,
                         @JsonProperty("failed") int failed,
                         @JsonProperty("category") CategoryStats category,
                         @JsonProperty("focal_in_box") FocalStats focalInBox,
                         @JsonProperty("subject_kept") Map<String, KeptStats> subjectKept,
                         @JsonProperty("score") ScoreStats score,
                         @JsonProperty("timing_ms") TimingStats timingMs,
                         @JsonProperty("per_image") List<ImageResult> perImage) {

    /** Category accuracy, the confusion matrix (labelled → predicted → count) and per-class figures. */
    public record CategoryStats(@JsonProperty("accuracy") Double accuracy,
                                @JsonProperty("correct") int correct,
                                @JsonProperty("confusion") Map<String, Map<String, Integer>> confusion,
                                @JsonProperty("per_class") Map<String, ClassStats> perClass) {}

    public record ClassStats(@JsonProperty("labelled") int labelled,
                             @JsonProperty("predicted") int predicted,
                             @JsonProperty("correct") int correct,
                             @JsonProperty("recall") Double recall,
                             @JsonProperty("precision") Double precision) {}

    /** How often the focal point falls inside the labelled subject box (whole-scene images left out). */
    public record FocalStats(@JsonProperty("images") int images,
                             @JsonProperty("provider") Double provider,
                             @JsonProperty("centre") Double centre) {}

    /**
     * Subject-kept rate for one crop ratio: kept / achievable, for the provider's crop, a plain
     * centre crop, and the same crop geometry fed the labelled focal point alone (no box).
     */
    public record KeptStats(@JsonProperty("ratio") String ratio,
                            @JsonProperty("achievable") int achievable,
                            @JsonProperty("provider_kept") int providerKept,
                            @JsonProperty("centre_kept") int centreKept,
                            @JsonProperty("labelled_focal_kept") int labelledFocalKept,
                            @JsonProperty("provider") Double provider,
                            @JsonProperty("centre") Double centre,
                            @JsonProperty("labelled_focal") Double labelledFocal) {}

    /** How the 1–10 score tracks the labelled editorial quality. */
    public record ScoreStats(@JsonProperty("images") int images,
                             @JsonProperty("spearman") Double spearman,
                             @JsonProperty("mean_abs_error") Double meanAbsError) {}

    public record TimingStats(@JsonProperty("mean") double mean,
                              @JsonProperty("median") double median,
                              @JsonProperty("max") double max) {}

    /** One image's figures; {@code kept} maps a ratio to kept or not, absent when it does not count. */
    public record ImageResult(@JsonProperty("path") String path,
                              @JsonProperty("labelled") String labelled,
                              @JsonProperty("predicted") String predicted,
                              @JsonProperty("quality") int quality,
                              @JsonProperty("score") Integer score,
                              @JsonProperty("focal_in_box") Boolean focalInBox,
                              @JsonProperty("kept") Map<String, Boolean> kept,
                              @JsonProperty("centre_kept") Map<String, Boolean> centreKept,
                              @JsonProperty("millis") double millis,
                              @JsonProperty("failure") String failure) {}
}
