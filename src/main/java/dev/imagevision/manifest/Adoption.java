package dev.imagevision.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imagevision.vision.Category;
import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.Judgement;

import java.util.Optional;

/**
 * The mark of an entry whose judgement was made by the site's previous tool and adopted as it is,
 * at no cost: who made it (the previous manifest's header), the bytes it was made for, and the
 * previous tool's own rejection, which stands. An adopted entry is re-judged only when its image's
 * bytes change or an explicit scope is given with {@code --force-score}.
 *
 * <p>The entry's own fields show the editor's flag and overrides like any entry's; the previous tool's
 * score, category, focal point and subject box are kept here too, so lifting a flag or an override
 * restores them without a call.
 *
 * @param sourceSha256 SHA-256 of the image the judgement belongs to (the bytes found when it was adopted)
 * @param rejectedBy   the previous tool's {@code rejected_by}, kept (null when it rejected nothing)
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Adoption(@JsonProperty("provider") String provider, @JsonProperty("model") String model,
                       @JsonProperty("prompt_version") String promptVersion,
                       @JsonProperty("source_sha256") String sourceSha256,
                       @JsonProperty("rejected_by") String rejectedBy,
                       @JsonProperty("score") Integer score,
                       @JsonProperty("category") String category,
                       @JsonProperty("focal_point") FocalPoint focalPoint,
                       @JsonProperty("subject_box") dev.imagevision.vision.SubjectBox subjectBox) {

    /** The mark for an entry of the previous tool adopted now, for the image bytes {@code sha256}. */
    public static Adoption of(ManifestEntry e, Manifest previous, String sha256) {
        return new Adoption(previous.visionProvider(), previous.visionModel(), previous.promptVersion(), sha256,
                e.rejectedBy(), e.score(), e.category(), e.focalPoint(), e.subjectBox());
    }

    /**
     * The judgement an entry of another tool holds, when it holds a usable one: a score 1–10, a subject,
     * one of the nine categories and a focal point inside the frame. Anything less cannot be adopted.
     */
    public static Optional<Judgement> judgement(ManifestEntry e) {
        return whyNot(e) == null ? Optional.of(usable(e)) : Optional.empty();
    }

    /** Why an entry's judgement cannot be adopted, in the editor's words, or null when it can. */
    public static String whyNot(ManifestEntry e) {
        if (e == null) return "there is no entry";
        Adoption a = e.adopted();
        Integer score = a == null ? e.score() : a.score();
        if (score == null) return "it has no score";
        if (score < 1 || score > 10) return "its score " + score + " is outside 1–10";
        if (e.subject() == null || e.subject().isBlank()) return "it has no subject";
        if (e.subject().length() > Judgement.MAX_SUBJECT) {
            return "its subject is " + e.subject().length() + " characters, over " + Judgement.MAX_SUBJECT;
        }
        String category = a == null ? e.category() : a.category();
        if (Category.parse(category).isEmpty()) return "its category \"" + category + "\" is not one of the nine";
        FocalPoint f = a == null ? e.focalPoint() : a.focalPoint();
        if (f == null) return "it has no focal point";
        if (!(f.x() >= 0 && f.x() <= 1 && f.y() >= 0 && f.y() <= 1)) return "its focal point lies outside the frame";
        return null;
    }

    private static Judgement usable(ManifestEntry e) {
        Adoption a = e.adopted();
        Integer score = a == null ? e.score() : a.score();
        FocalPoint f = a == null ? e.focalPoint() : a.focalPoint();
        dev.imagevision.vision.SubjectBox box = a == null ? e.subjectBox() : a.subjectBox();
        Category category = Category.parse(a == null ? e.category() : a.category()).orElseThrow();
        return new Judgement(score, e.subject(), category, f, box, e.subjectMatch() == null || e.subjectMatch(),
                e.rejectReason());
    }

    /**
     * The judgement an entry stands for when the image now has the bytes {@code sha256}: an entry of the
     * previous tool (no score key) not yet adopted, or one adopted for these very bytes.
     */
    public static Optional<Judgement> adoptable(ManifestEntry e, String sha256) {
        if (e == null || e.scoreKey() != null || sha256 == null) return Optional.empty();
        if (e.adopted() != null && !sha256.equals(e.adopted().sourceSha256())) return Optional.empty();
        return judgement(e);
    }
}
