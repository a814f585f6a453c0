package dev.imagevision.vision;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Tokens a paid call used and what it cost; {@link #FREE} for offline providers. */
public record Usage(@JsonProperty("input_tokens") long inputTokens, @JsonProperty("output_tokens") long outputTokens,
                    @JsonProperty("cache_read_tokens") long cacheReadTokens,
                    @JsonProperty("cache_write_tokens") long cacheWriteTokens, @JsonProperty("cost_usd") double costUsd) {
    public static final Usage FREE = new Usage(0, 0, 0, 0, 0);
}
