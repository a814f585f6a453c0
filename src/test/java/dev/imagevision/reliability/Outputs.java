package dev.imagevision.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.imagevision.curation.CurationFile;
import dev.imagevision.ledger.LedgerFile;
import dev.imagevision.ledger.Prices;
import dev.imagevision.ledger.Tokens;
import dev.imagevision.manifest.ManifestFile;
import dev.imagevision.manifest.ManifestSchemaAssert;
import dev.imagevision.vision.anthropic.FakeAnthropic;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** What the reliability tests check on the files a run leaves: they parse, match their schemas, and the money adds up. */
final class Outputs {
    private Outputs() {}

    static final ObjectMapper JSON = new ObjectMapper();
    static final String MANIFEST = "static/data/image-vision.json";
    static final String CURATION = "static/data/image-curation.json";
    static final String LEDGER = "static/data/image-vision-cost-ledger.json";
    static final String REPORT = "static/data/audit-report.html";
    static final String JOURNAL = ".image-cache/ledger-journal.jsonl";

    private static final JsonSchema LEDGER_SCHEMA = schema("/ledger.schema.json");
    private static final JsonSchema CURATION_SCHEMA = schema("/curation.schema.json");

    private static JsonSchema schema(String resource) {
        try (InputStream in = Outputs.class.getResourceAsStream(resource)) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Manifest, curation file and ledger (those that exist) parse with the tool's own readers and match their schemas. */
    static void assertReadable(Path site, String when) throws IOException {
        Path manifest = site.resolve(MANIFEST);
        if (Files.exists(manifest)) {
            ManifestFile.read(manifest);
            ManifestSchemaAssert.assertValid(manifest);
        }
        Path curation = site.resolve(CURATION);
        CurationFile.read(curation);
        assertThat(CURATION_SCHEMA.validate(JSON.readTree(curation.toFile()))).as("curation schema " + when).isEmpty();
        Path ledger = site.resolve(LEDGER);
        if (Files.exists(ledger)) {
            LedgerFile.read(ledger);
            assertThat(LEDGER_SCHEMA.validate(JSON.readTree(ledger.toFile()))).as("ledger schema " + when).isEmpty();
        }
    }

    /** What the ledger says about the calls the API billed. */
    record Accounting(int billed, int confirmed, int ceilingsForBilled, int ceilingsNeverBilled, BigDecimal billedUsd,
                      BigDecimal ledgerUsd) {}

    static BigDecimal cost(FakeAnthropic.Billed b) {
        return Prices.cost("claude-sonnet-4-6", new Tokens(b.inputTokens(), b.outputTokens(), b.cacheReadTokens(),
                b.cacheWriteTokens()), false);
    }

    /**
     * Every call the API billed is in the ledger exactly once: by its message id with its exact
     * usage, or, when its reply never reached the journal, as a ceiling row for its request id
     * that is not below what it cost. No row names a call the API never billed, except ceilings
     * for requests the API never answered (the over-count, returned). Monthly totals add up.
     */
    static Accounting account(Path site, List<FakeAnthropic.Billed> billedCalls, String when) throws IOException {
        JsonNode ledger = JSON.readTree(site.resolve(LEDGER).toFile());
        Map<String, JsonNode> rows = new HashMap<>();
        BigDecimal ledgerUsd = BigDecimal.ZERO;
        for (JsonNode e : ledger.get("entries")) {
            if (!e.has("image_path")) continue;
            String id = e.get("call_id").asText();
            assertThat(rows.put(id, e)).as("call_id %s twice in the ledger %s", id, when).isNull();
            ledgerUsd = ledgerUsd.add(e.get("cost_usd").decimalValue());
        }
        int confirmed = 0, ceilings = 0;
        BigDecimal billedUsd = BigDecimal.ZERO;
        Set<String> accounted = new HashSet<>();
        for (FakeAnthropic.Billed b : billedCalls) {
            assertThat(b.requestId()).as("every request carries its journal id").isNotNull();
            BigDecimal cost = cost(b);
            billedUsd = billedUsd.add(cost);
            JsonNode exact = rows.get(b.messageId());
            JsonNode ceiling = rows.get("unconfirmed:" + b.requestId());
            assertThat(exact == null ^ ceiling == null)
                    .as("billed call %s (request %s) is in the ledger exactly once %s: exact %s, ceiling %s",
                            b.messageId(), b.requestId(), when, exact, ceiling).isTrue();
            if (exact != null) {
                confirmed++;
                accounted.add(b.messageId());
                assertThat(exact.get("input_tokens").asLong()).isEqualTo(b.inputTokens());
                assertThat(exact.get("output_tokens").asLong()).isEqualTo(b.outputTokens());
                assertThat(exact.get("cost_usd").decimalValue()).isEqualByComparingTo(cost);
            } else {
                ceilings++;
                accounted.add("unconfirmed:" + b.requestId());
                assertThat(ceiling.get("cost_usd").decimalValue()).as("a ceiling is never below the cost").isGreaterThanOrEqualTo(cost);
            }
        }
        int neverBilled = 0;
        for (String id : rows.keySet()) {
            if (accounted.contains(id)) continue;
            assertThat(id).as("a ledger row %s for a call the API never billed %s", id, when).startsWith("unconfirmed:");
            neverBilled++;
        }
        // monthly totals are the sums of the rows (to the micro-dollar, as the ledger writes them)
        Map<String, BigDecimal> sums = new TreeMap<>();
        for (JsonNode e : ledger.get("entries")) {
            sums.merge(e.get("ts").asText().substring(0, 7) + "/" + e.path("provider").asText("unknown"),
                    e.get("cost_usd").decimalValue(), BigDecimal::add);
        }
        sums.forEach((k, v) -> assertThat(ledger.at("/monthly_totals/" + k).decimalValue()).as("monthly total " + k)
                .isEqualByComparingTo(v.setScale(6, java.math.RoundingMode.HALF_UP)));
        assertThat(ledgerUsd).as("the ledger never under-counts " + when).isGreaterThanOrEqualTo(billedUsd);
        return new Accounting(billedCalls.size(), confirmed, ceilings, neverBilled, billedUsd, ledgerUsd);
    }
}
