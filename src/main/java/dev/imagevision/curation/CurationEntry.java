package dev.imagevision.curation;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.imagevision.site.ImagePath;
import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.SubjectBox;

import java.util.Map;
import java.util.TreeMap;

/**
 * One deny-list row in the site's shape {@code {path, reason, flaggedAt}}, with the optional
 * overrides the review page saves (focal point, subject box, category). Fields this tool does
 * not know are kept in {@code extra} and written back, so a hand-added note survives a flag.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"path", "reason", "flaggedAt", "category", "focal_point", "subject_box"})
public record CurationEntry(
        @JsonProperty("path") String path,
        @JsonProperty("reason") String reason,
        @JsonProperty("flaggedAt") String flaggedAt,
        @JsonProperty("focal_point") FocalPoint focalPoint,
        @JsonProperty("subject_box") SubjectBox subjectBox,
        @JsonProperty("category") String category,
        @JsonAnySetter @JsonAnyGetter @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, JsonNode> extra) {

    public CurationEntry {
        // people write "static/images/x.jpg" or "images/x.jpg"; the manifest key is "/images/x.jpg"
        if (path != null && !path.isBlank()) path = ImagePath.normalise(path);
        extra = extra == null ? new TreeMap<>() : new TreeMap<>(extra);
    }

    public CurationEntry(String path, String reason, String flaggedAt, FocalPoint focalPoint, SubjectBox subjectBox,
                         String category) {
        this(path, reason, flaggedAt, focalPoint, subjectBox, category, null);
    }

    /** A row with nothing but its path. */
    public static CurationEntry of(String path) {
        return new CurationEntry(path, null, null, null, null, null, null);
    }

    /** A row that rejects the image (it has a reason); a row with only overrides does not. */
    public boolean flagged() {
        return reason != null && !reason.isBlank();
    }

    public boolean hasOverride() {
        return focalPoint != null || subjectBox != null || category != null;
    }

    /** Nothing left worth keeping: no flag, no override, no field of someone else's. */
    boolean empty() {
        return !flagged() && !hasOverride() && extra.isEmpty();
    }

    public CurationEntry withFlag(String newReason, String newFlaggedAt) {
        return new CurationEntry(path, newReason, newFlaggedAt, focalPoint, subjectBox, category, extra);
    }

    public CurationEntry withoutFlag() {
        return new CurationEntry(path, null, null, focalPoint, subjectBox, category, extra);
    }

    /** The overrides replaced; null clears one. */
    public CurationEntry withOverrides(FocalPoint newFocalPoint, SubjectBox newSubjectBox, String newCategory) {
        return new CurationEntry(path, reason, flaggedAt, newFocalPoint, newSubjectBox, newCategory, extra);
    }
}
