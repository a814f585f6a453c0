package dev.imagevision.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What one fresh image is expected to cost, from what the ledger measured: the average tokens per
 * scored image of this model (re-asks included), else the site's per-run rows (cost per freshly
 * processed image), else a default for a downscaled image.
 */
public record Estimate(BigDecimal perImageUsd, String basis) {

    /** A 1568-px upload is about 1,600 image tokens; prompt and context add ~900; the reply ~150. */
    static final Tokens DEFAULT_TOKENS = new Tokens(2500, 150, 0, 0);

    public static Estimate from(ObjectNode ledger, String model, boolean batch) {
        String mode = batch ? " at batch price" : "";
        long in = 0, out = 0, read = 0, write = 0;
        Set<String> images = new HashSet<>();
        for (JsonNode e : LedgerFile.callRows(ledger)) {
            if (!model.equals(e.path("model").asText())) continue;
            if (e.path("call_id").asText("").startsWith(CallEntry.UNCONFIRMED)) continue; // a ceiling, not a measurement
            in += e.path("input_tokens").asLong();
            out += e.path("output_tokens").asLong();
            read += e.path("cache_read_tokens").asLong();
            write += e.path("cache_write_tokens").asLong();
            images.add(e.path("run_id").asText() + "\u0000" + e.path("image_path").asText());
        }
        if (!images.isEmpty()) {
            int n = images.size();
            Tokens avg = new Tokens(in / n, out / n, read / n, write / n);
            BigDecimal total = Prices.cost(model, new Tokens(in, out, read, write), batch);
            BigDecimal per = Prices.normalise(total.divide(BigDecimal.valueOf(n), 6, RoundingMode.HALF_UP));
            return new Estimate(per, String.format(Locale.ROOT,
                    "measured over %d scored images of %s: avg %,d input + %,d output tokens%s", n, model,
                    avg.input() + avg.cacheRead() + avg.cacheWrite(), avg.output(), mode));
        }
        BigDecimal cost = BigDecimal.ZERO;
        long fresh = 0;
        int runs = 0;
        for (JsonNode e : ledger.path("entries")) {
            if (!e.has("images_processed") || !model.equals(e.path("model").asText()) || !e.path("cost_usd").isNumber()) continue;
            long n = e.path("images_processed").asLong() - e.path("images_cached").asLong();
            if (n <= 0) continue;
            cost = cost.add(e.get("cost_usd").decimalValue());
            fresh += n;
            runs++;
        }
        if (fresh > 0) {
            BigDecimal per = cost.divide(BigDecimal.valueOf(fresh), 6, RoundingMode.HALF_UP);
            if (batch) per = per.multiply(new BigDecimal("0.5"));
            return new Estimate(Prices.normalise(per), String.format(Locale.ROOT,
                    "from %d earlier runs of %s in the ledger (%,d freshly scored images)%s", runs, model, fresh, mode));
        }
        return new Estimate(Prices.cost(model, DEFAULT_TOKENS, batch), String.format(Locale.ROOT,
                "no measured calls of %s yet; assumed %,d input + %,d output tokens per image%s", model,
                DEFAULT_TOKENS.input(), DEFAULT_TOKENS.output(), mode));
    }
}
