package dev.imagevision.ledger;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.math.BigDecimal;

/**
 * A request journaled before it leaves, with the most it can cost. If no reply is ever journaled
 * for it (the process was killed while the request was out, or the connection broke after the API
 * had answered), the ledger charges it this ceiling: the API may have billed it, and no endpoint
 * tells afterwards what it billed. The ledger can therefore over-count, never under-count.
 *
 * @param requestId unique per request within the site's history (run id plus a sequence number)
 */
@JsonPropertyOrder({"sent", "ts", "image_path", "provider", "model", "input_tokens", "output_tokens", "cost_usd",
        "batch", "run_id"})
public record SentCall(@JsonProperty("sent") String requestId,
                       @JsonProperty("ts") String ts,
                       @JsonProperty("image_path") String imagePath,
                       @JsonProperty("provider") String provider,
                       @JsonProperty("model") String model,
                       @JsonProperty("input_tokens") long inputTokensCeiling,
                       @JsonProperty("output_tokens") long outputTokensCeiling,
                       @JsonProperty("cost_usd") BigDecimal costCeilingUsd,
                       @JsonProperty("batch") boolean batch,
                       @JsonProperty("run_id") String runId) {

    /** A request priced at its ceiling: every input token at the dearest input rate (a cache write), all output tokens. */
    public static SentCall priced(String requestId, String ts, String imagePath, String provider, String model,
                                  long inputTokensCeiling, long outputTokensCeiling, boolean batch, String runId) {
        return new SentCall(requestId, ts, imagePath, provider, model, inputTokensCeiling, outputTokensCeiling,
                Prices.ceiling(model, inputTokensCeiling, outputTokensCeiling, batch), batch, runId);
    }

    /** The ledger row for a request whose reply never reached the journal: charged the ceiling. */
    public CallEntry unconfirmed() {
        return new CallEntry(ts, imagePath, provider, model, inputTokensCeiling, outputTokensCeiling, 0, 0,
                costCeilingUsd, batch, runId, CallEntry.unconfirmedId(requestId));
    }
}
