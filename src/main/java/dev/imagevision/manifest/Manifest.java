package dev.imagevision.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

/** The sidecar manifest: header and entries keyed by provenance path. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Manifest(
        @JsonProperty("version") Integer version,
        @JsonProperty("generated_at") String generatedAt,
        @JsonProperty("vision_provider") String visionProvider,
        @JsonProperty("vision_model") String visionModel,
        @JsonProperty("prompt_version") String promptVersion,
        @JsonProperty("entries") Map<String, ManifestEntry> entries) {

    public static final int VERSION = 1;
}
