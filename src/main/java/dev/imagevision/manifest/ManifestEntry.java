package dev.imagevision.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imagevision.crop.CropWindow;
import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.SubjectBox;

import java.util.Map;

/**
 * One manifest entry, keyed in the manifest by its provenance path: the site's real shape
 * (score, subject, category, focal_point, variants, rejected_by, fallback, scored_at,
 * scoring_cost_usd) plus our additions. Fields the old format lacks read as null.
 * {@code score_key} is the score cache key (source bytes, provider, model, prompt version) the
 * entry's judgement was made under: it lets a run without the cache tell an unchanged image from
 * a changed one. {@code adopted} marks a judgement of the site's previous tool kept as it is (see
 * {@link Adoption}); it is written only on such entries.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ManifestEntry(
        @JsonProperty("score") Integer score,
        @JsonProperty("subject") String subject,
        @JsonProperty("category") String category,
        @JsonProperty("focal_point") FocalPoint focalPoint,
        @JsonProperty("subject_box") SubjectBox subjectBox,
        @JsonProperty("subject_match") Boolean subjectMatch,
        @JsonProperty("reject_reason") String rejectReason,
        @JsonProperty("variants") Map<String, String> variants,
        @JsonProperty("crop_windows") Map<String, CropWindow.Fraction> cropWindows,
        @JsonProperty("rejected_by") String rejectedBy,
        @JsonProperty("fallback") Boolean fallback,
        @JsonProperty("selection") Selection selection,
        @JsonProperty("provider") String provider,
        @JsonProperty("model") String model,
        @JsonProperty("scored_at") String scoredAt,
        @JsonProperty("scoring_cost_usd") Double scoringCostUsd,
        @JsonProperty("score_key") String scoreKey,
        @JsonProperty("adopted") @JsonInclude(JsonInclude.Include.NON_NULL) Adoption adopted) {

    /** An entry of this tool's own (never adopted). */
    public ManifestEntry(Integer score, String subject, String category, FocalPoint focalPoint, SubjectBox subjectBox,
                         Boolean subjectMatch, String rejectReason, Map<String, String> variants,
                         Map<String, CropWindow.Fraction> cropWindows, String rejectedBy, Boolean fallback,
                         Selection selection, String provider, String model, String scoredAt, Double scoringCostUsd,
                         String scoreKey) {
        this(score, subject, category, focalPoint, subjectBox, subjectMatch, rejectReason, variants, cropWindows,
                rejectedBy, fallback, selection, provider, model, scoredAt, scoringCostUsd, scoreKey, null);
    }

    /** An entry without a score key (the site's older entries, or one no judgement is behind). */
    public ManifestEntry(Integer score, String subject, String category, FocalPoint focalPoint, SubjectBox subjectBox,
                         Boolean subjectMatch, String rejectReason, Map<String, String> variants,
                         Map<String, CropWindow.Fraction> cropWindows, String rejectedBy, Boolean fallback,
                         Selection selection, String provider, String model, String scoredAt, Double scoringCostUsd) {
        this(score, subject, category, focalPoint, subjectBox, subjectMatch, rejectReason, variants, cropWindows,
                rejectedBy, fallback, selection, provider, model, scoredAt, scoringCostUsd, null, null);
    }

    /** Where selection put the image in its group: hero, gallery (rank 1–8) or none. */
    public record Selection(@JsonProperty("group") String group, @JsonProperty("role") String role,
                            @JsonProperty("rank") Integer rank) {}

    public ManifestEntry withSelection(Selection newSelection, String newRejectedBy, boolean newFallback) {
        return new ManifestEntry(score, subject, category, focalPoint, subjectBox, subjectMatch, rejectReason, variants,
                cropWindows, newRejectedBy, newFallback, newSelection, provider, model, scoredAt, scoringCostUsd, scoreKey,
                adopted);
    }

    public ManifestEntry withScore(int newScore) {
        return new ManifestEntry(newScore, subject, category, focalPoint, subjectBox, subjectMatch, rejectReason, variants,
                cropWindows, rejectedBy, fallback, selection, provider, model, scoredAt, scoringCostUsd, scoreKey, adopted);
    }
}
