package dev.imagevision.redteam2;

import dev.imagevision.testing.HostileApi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hand-edited ledgers (ledgertest.sh): a cost written as a string was left out of monthly_totals
 * silently, a cost of -100 or 1e308 went into them, a row repeated by message id was counted twice,
 * and a same-length edit with the file's modification time put back was never read again. A paid run
 * must not spend on a ledger it cannot total, must count a call once, and must notice any edit.
 */
@Tag("reliability")
class HandEditedLedgerTest {
    static final ObjectMapper JSON = new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    static Path ledger(Path site) {
        return site.resolve("static/data/image-vision-cost-ledger.json");
    }

    static ObjectNode read(Path site) throws Exception {
        return (ObjectNode) JSON.readTree(ledger(site).toFile());
    }

    static void write(Path site, JsonNode ledger) throws Exception {
        Files.write(ledger(site), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(ledger));
    }

    static void touch(Path site, String image) throws Exception {
        Files.write(site.resolve("static" + image), new byte[] {'x'}, StandardOpenOption.APPEND);
    }

    /** The sum of the distinct rows' costs (each message id once), to six places. */
    static BigDecimal distinctSum(JsonNode ledger) {
        BigDecimal sum = BigDecimal.ZERO;
        Set<String> seen = new HashSet<>();
        for (JsonNode e : ledger.get("entries")) if (seen.add(e.get("call_id").asText())) sum = sum.add(e.get("cost_usd").decimalValue());
        return sum.setScale(6, RoundingMode.HALF_UP);
    }

    static BigDecimal total(JsonNode ledger) {
        BigDecimal sum = BigDecimal.ZERO;
        for (JsonNode month : ledger.get("monthly_totals")) for (JsonNode v : month) sum = sum.add(v.decimalValue());
        return sum.setScale(6, RoundingMode.HALF_UP);
    }

    @Test
    void aCostThatIsAStringNegativeOrAbsurdStopsAPaidRunBeforeItSpends(@TempDir Path dir) throws Exception {
        try (HostileApi api = new HostileApi(r -> HostileApi.Reply.json(HostileApi.judgement(r.number())))) {
            Path site = HostileApi.site(dir, 3, "{\"provider\": \"anthropic\", \"concurrency\": 1}", api.baseUrl());
            assertThat(HostileApi.score(site).exit()).isZero();
            Object[] edits = {"0.0069", new BigDecimal("-100"), new BigDecimal("1e308")};
            String[] reasons = {"cost_usd is a string", "cost_usd is negative", "is more than"};
            for (int k = 0; k < edits.length; k++) {
                ObjectNode l = read(site);
                ObjectNode row = (ObjectNode) l.get("entries").get(1);
                if (edits[k] instanceof String s) row.put("cost_usd", s);
                else row.put("cost_usd", (BigDecimal) edits[k]);
                write(site, l);
                byte[] before = Files.readAllBytes(ledger(site));
                long calls = api.messageCalls();
                touch(site, "/images/missions/crs-21/01.jpg");

                HostileApi.Run run = HostileApi.score(site);
                assertThat(run.exit()).as(run.err()).isEqualTo(2);
                assertThat(run.err()).contains("entries[1]", reasons[k], "spends nothing");
                assertThat(api.messageCalls()).as("nothing was sent").isEqualTo(calls);
                assertThat(Files.readAllBytes(ledger(site))).isEqualTo(before);
                HostileApi.Run dry = HostileApi.score(site, "--dry-run");
                assertThat(dry.exit()).as(dry.err()).isZero();
                assertThat(dry.err()).as("the dry run warns of what the paid run would do")
                        .contains("a paid run would refuse this ledger", "entries[1]", reasons[k]);
                ObjectNode fixed = read(site);
                ((ObjectNode) fixed.get("entries").get(1)).put("cost_usd", new BigDecimal("0.0069"));
                write(site, fixed);
            }
            HostileApi.Run fixedRun = HostileApi.score(site);
            assertThat(fixedRun.exit()).as(fixedRun.err()).isZero();
            assertThat(total(read(site))).isEqualTo(distinctSum(read(site)));
        }
    }

    @Test
    void aRowRepeatedByMessageIdIsCountedOnceAndSaidSo(@TempDir Path dir) throws Exception {
        try (HostileApi api = new HostileApi(r -> HostileApi.Reply.json(HostileApi.judgement(r.number())))) {
            Path site = HostileApi.site(dir, 3, "{\"provider\": \"anthropic\", \"concurrency\": 1}", api.baseUrl());
            assertThat(HostileApi.score(site).exit()).isZero();
            ObjectNode l = read(site);
            ((ArrayNode) l.get("entries")).add(l.get("entries").get(0).deepCopy()); // a merge kept both copies
            write(site, l);
            touch(site, "/images/missions/crs-21/02.jpg");

            HostileApi.Run run = HostileApi.score(site);
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.err()).contains("entries[3]", "repeats entries[0]", "counted once");
            ObjectNode after = read(site);
            assertThat(after.get("entries").size()).isEqualTo(5);
            assertThat(total(after)).isEqualTo(distinctSum(after));
        }
    }

    @Test
    void aSameSizeEditWithTheModificationTimePutBackIsNoticed(@TempDir Path dir) throws Exception {
        try (HostileApi api = new HostileApi(r -> HostileApi.Reply.json(HostileApi.judgement(r.number())))) {
            Path site = HostileApi.site(dir, 3, "{\"provider\": \"anthropic\", \"concurrency\": 1}", api.baseUrl());
            // a history longer than the 64 KiB the state used to hash, as any site's becomes
            ObjectNode history = JSON.createObjectNode().put("version", "1.0");
            ArrayNode rows = history.putArray("entries");
            for (int i = 0; i < 400; i++) {
                rows.addObject().put("ts", "2026-05-01T00:00:00.000Z").put("image_path", "/images/old/" + i + ".jpg")
                        .put("provider", "anthropic").put("model", "claude-sonnet-4-6").put("input_tokens", 1500)
                        .put("output_tokens", 150).put("cache_read_tokens", 0).put("cache_write_tokens", 0)
                        .put("cost_usd", new BigDecimal("0.00675")).put("batch", false).put("run_id", "run-old")
                        .put("call_id", "msg_old_" + i);
            }
            write(site, history);
            assertThat(HostileApi.score(site).exit()).isZero();
            touch(site, "/images/missions/crs-21/03.jpg");
            assertThat(HostileApi.score(site).exit()).isZero(); // the state now describes the file

            String text = Files.readString(ledger(site));
            FileTime modified = Files.getLastModifiedTime(ledger(site));
            int cost = text.indexOf("\"cost_usd\": 0.00");
            String edited = text.substring(0, cost) + "\"cost_usd\": 0.90" + text.substring(cost + "\"cost_usd\": 0.00".length());
            Files.writeString(ledger(site), edited);
            Files.setLastModifiedTime(ledger(site), modified);
            touch(site, "/images/missions/crs-21/01.jpg");

            HostileApi.Run run = HostileApi.score(site);
            assertThat(run.exit()).as(run.err()).isZero();
            ObjectNode after = read(site);
            assertThat(total(after)).isEqualTo(distinctSum(after)).isGreaterThan(new BigDecimal("0.9"));
        }
    }
}
