package dev.imagevision.curation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.SubjectBox;

/**
 * One deny-list row in the site's shape {@code {path, reason, flaggedAt}}, with the optional
 * overrides the review page saves (focal point, subject box, category).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CurationEntry(
        @JsonProperty("path") String path,
        @JsonProperty("reason") String reason,
        @JsonProperty("flaggedAt") String flaggedAt,
        @JsonProperty("focal_point") FocalPoint focalPoint,
        @JsonProperty("subject_box") SubjectBox subjectBox,
        @JsonProperty("category") String category) {

    /** A row that rejects the image (it has a reason); a row with only overrides does not. */
    public boolean flagged() {
        return reason != null && !reason.isBlank();
    }

    public boolean hasOverride() {
        return focalPoint != null || subjectBox != null || category != null;
    }
}
