package dev.imagevision.vision;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a provider says one image shows. Every field already validated and normalised
 * (score 1–10, subject ≤ 280 characters, coordinates in 0–1).
 */
public record Judgement(@JsonProperty("score") int score, @JsonProperty("subject") String subject,
                        @JsonProperty("category") Category category,
                        @JsonProperty("focal_point") FocalPoint focalPoint,
                        @JsonProperty("subject_box") SubjectBox subjectBox,
                        @JsonProperty("subject_match") boolean subjectMatch,
                        @JsonProperty("reject_reason") String rejectReason) {

    public static final int MAX_SUBJECT = 280;

    public Judgement {
        if (score < 1 || score > 10) throw new IllegalArgumentException("score must be 1..10, got " + score);
        if (subject == null || subject.isBlank()) throw new IllegalArgumentException("subject is required");
        if (subject.length() > MAX_SUBJECT) throw new IllegalArgumentException("subject longer than " + MAX_SUBJECT);
        if (category == null || focalPoint == null) throw new IllegalArgumentException("category and focal point are required");
    }
}
