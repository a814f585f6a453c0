package dev.imagevision.ledger;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.math.BigDecimal;

/**
 * One paid call in the ledger: {@code {ts, image_path, model, input_tokens, output_tokens,
 * cost_usd, run_id}} as the spec asks, plus the cache tokens, whether it went through a batch,
 * and the API's message id ({@code call_id}) so a call folded twice is counted once. A request
 * whose reply never reached the journal is charged its ceiling under {@code call_id}
 * {@code "unconfirmed:<request id>"} (see {@link SentCall}).
 */
@JsonPropertyOrder({"ts", "image_path", "provider", "model", "input_tokens", "output_tokens", "cache_read_tokens",
        "cache_write_tokens", "cost_usd", "batch", "run_id", "call_id"})
public record CallEntry(@JsonProperty("ts") String ts,
                        @JsonProperty("image_path") String imagePath,
                        @JsonProperty("provider") String provider,
                        @JsonProperty("model") String model,
                        @JsonProperty("input_tokens") long inputTokens,
                        @JsonProperty("output_tokens") long outputTokens,
                        @JsonProperty("cache_read_tokens") long cacheReadTokens,
                        @JsonProperty("cache_write_tokens") long cacheWriteTokens,
                        @JsonProperty("cost_usd") BigDecimal costUsd,
                        @JsonProperty("batch") boolean batch,
                        @JsonProperty("run_id") String runId,
                        @JsonProperty("call_id") String callId) {

    /** An entry priced from the table. */
    public static CallEntry priced(String ts, String imagePath, String provider, String model, Tokens tokens,
                                   boolean batch, String runId, String callId) {
        return new CallEntry(ts, imagePath, provider, model, tokens.input(), tokens.output(), tokens.cacheRead(),
                tokens.cacheWrite(), Prices.cost(model, tokens, batch), batch, runId, callId);
    }

    static final String UNCONFIRMED = "unconfirmed:";

    static String unconfirmedId(String requestId) {
        return UNCONFIRMED + requestId;
    }

    /** A request charged at its ceiling because its reply was never journaled. */
    @JsonIgnore
    public boolean unconfirmed() {
        return callId != null && callId.startsWith(UNCONFIRMED);
    }

    @JsonIgnore
    public Tokens tokens() {
        return new Tokens(inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens);
    }
}
