package dev.imagevision.cache;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imagevision.vision.Judgement;
import dev.imagevision.vision.Usage;

/**
 * One cached scoring result, keyed by the score key. A failed attempt is cached too
 * ({@code failed: true}) so the run can report it; a later run retries it, unless the fault lay in
 * the image's bytes ({@code image_fault: true}): those fail the same way until the file changes.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ScoreRecord(
        @JsonProperty("key") String key,
        @JsonProperty("path") String path,
        @JsonProperty("provider") String provider,
        @JsonProperty("model") String model,
        @JsonProperty("prompt_version") String promptVersion,
        @JsonProperty("source_sha256") String sourceSha256,
        @JsonProperty("failed") boolean failed,
        @JsonProperty("error") String error,
        @JsonProperty("judgement") Judgement judgement,
        @JsonProperty("usage") Usage usage,
        @JsonProperty("scored_at") String scoredAt,
        // written only when true, so every other record keeps the shape it always had
        @JsonProperty("image_fault") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean imageFault) {

    public ScoreRecord(String key, String path, String provider, String model, String promptVersion,
                       String sourceSha256, boolean failed, String error, Judgement judgement, Usage usage,
                       String scoredAt) {
        this(key, path, provider, model, promptVersion, sourceSha256, failed, error, judgement, usage, scoredAt, false);
    }

    @JsonCreator
    public ScoreRecord {
        if (!failed && judgement == null) throw new IllegalArgumentException("a successful record needs a judgement");
    }

    public boolean usable() {
        return !failed && judgement != null;
    }
}
