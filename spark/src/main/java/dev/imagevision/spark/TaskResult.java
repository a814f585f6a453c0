package dev.imagevision.spark;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * What one task of phase two hands back: each image's {@link Outcome}, how many images its session
 * sent to the provider (for the free provider's count; a paid run counts the journals) and the lines
 * its session logged.
 */
public record TaskResult(@JsonProperty("outcomes") List<Outcome> outcomes, @JsonProperty("calls") int calls,
                         @JsonProperty("log") List<String> log) {}
