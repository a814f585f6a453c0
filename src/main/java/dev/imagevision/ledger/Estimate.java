package dev.imagevision.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.io.IOException;
import java.nio.file.Path;
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
        Measured m = new Measured(model);
        for (JsonNode e : ledger.path("entries")) m.add(e);
        return m.estimate(batch);
    }

    /** The same, reading the ledger file one entry at a time (a long history is never held in memory). */
    public static Estimate from(Path ledgerFile, String model, boolean batch) throws IOException {
        Measured m = new Measured(model);
        LedgerAudit audit = LedgerAudit.forBytes(java.nio.file.Files.exists(ledgerFile) ? java.nio.file.Files.size(ledgerFile) : 0);
        LedgerFile.forEachRow(ledgerFile, (e, index, line) -> {
            audit.first(e, index, line);
            m.add(e);
        });
        Estimate est = m.estimate(batch);
        if (audit.problemCount() == 0) return est;
        // a dry run says what the paid run would do: refuse, naming the first row (validate names them all)
        return new Estimate(est.perImageUsd(), est.basis() + "; a paid run would refuse this ledger: "
                + (audit.problemCount() == 1 ? "a row" : audit.problemCount() + " rows") + " cannot be counted as money ("
                + audit.problems().get(0) + (audit.problemCount() > 1 ? "; imagevision validate lists them all" : "") + ")");
    }

    /**
     * What the ledger measured for one model, entry by entry. Scored images are counted as distinct
     * (run, image) pairs; a run's rows are appended together, so the pairs of one run at a time are
     * enough to tell them apart.
     */
    private static final class Measured {
        final String model;
        long in, out, read, write, images;
        String run;
        final Set<String> imagesOfRun = new HashSet<>();
        BigDecimal legacyCost = BigDecimal.ZERO;
        long fresh;
        int runs;

        Measured(String model) {
            this.model = model;
        }

        void add(JsonNode e) {
            if (LedgerRow.problem(e) != null) return; // a hand edit's negative tokens must not make calls look free
            if (e.has("image_path") && e.has("input_tokens")) call(e);
            else legacy(e);
        }

        private void call(JsonNode e) {
            if (!model.equals(e.path("model").asText())) return;
            if (e.path("call_id").asText("").startsWith(CallEntry.UNCONFIRMED)) return; // a ceiling, not a measurement
            in += e.path("input_tokens").asLong();
            out += e.path("output_tokens").asLong();
            read += e.path("cache_read_tokens").asLong();
            write += e.path("cache_write_tokens").asLong();
            String r = e.path("run_id").asText();
            if (!r.equals(run)) {
                run = r;
                imagesOfRun.clear();
            }
            if (imagesOfRun.add(e.path("image_path").asText())) images++;
        }

        private void legacy(JsonNode e) {
            if (!e.has("images_processed") || !model.equals(e.path("model").asText()) || !e.path("cost_usd").isNumber()) return;
            long n = e.path("images_processed").asLong() - e.path("images_cached").asLong();
            if (n <= 0) return;
            legacyCost = legacyCost.add(e.get("cost_usd").decimalValue());
            fresh += n;
            runs++;
        }

        Estimate estimate(boolean batch) {
            String mode = batch ? " at batch price" : "";
            if (images > 0) {
                long n = images;
                Tokens avg = new Tokens(in / n, out / n, read / n, write / n);
                BigDecimal total = Prices.cost(model, new Tokens(in, out, read, write), batch);
                BigDecimal per = Prices.normalise(total.divide(BigDecimal.valueOf(n), 6, RoundingMode.HALF_UP));
                return new Estimate(per, String.format(Locale.ROOT,
                        "measured over %d scored images of %s: avg %,d input + %,d output tokens%s", n, model,
                        avg.input() + avg.cacheRead() + avg.cacheWrite(), avg.output(), mode));
            }
            if (fresh > 0) {
                BigDecimal per = legacyCost.divide(BigDecimal.valueOf(fresh), 6, RoundingMode.HALF_UP);
                if (batch) per = per.multiply(new BigDecimal("0.5"));
                return new Estimate(Prices.normalise(per), String.format(Locale.ROOT,
                        "from %d earlier runs of %s in the ledger (%,d freshly scored images)%s", runs, model, fresh, mode));
            }
            return new Estimate(Prices.cost(model, DEFAULT_TOKENS, batch), String.format(Locale.ROOT,
                    "no measured calls of %s yet; assumed %,d input + %,d output tokens per image%s", model,
                    DEFAULT_TOKENS.input(), DEFAULT_TOKENS.output(), mode));
        }
    }
}
