package dev.imagevision.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagevision.site.SiteFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LedgerFileTest {
    @TempDir
    Path dir;

    static CallEntry call(String id, String ts, long in, long out) {
        return CallEntry.priced(ts, "/images/missions/juice/01.jpg", "anthropic", "claude-sonnet-4-6",
                new Tokens(in, out, 0, 0), false, "run-1", id);
    }

    Path siteLedger() throws IOException {
        Path f = dir.resolve("image-vision-cost-ledger.json");
        Files.copy(Path.of("src/test/resources/orrery/cost-ledger.json"), f);
        return f;
    }

    @Test
    void readsTheSitesPerRunLedgerAndKeepsEveryEntryAsItWas() throws IOException {
        Path f = siteLedger();
        ObjectNode before = LedgerFile.read(f);
        ObjectNode after = LedgerFile.withCalls(before, List.of(call("msg_1", "2026-07-06T10:00:00.000Z", 1500, 120)));
        assertThat(after.get("entries").size()).isEqualTo(before.get("entries").size() + 1);
        for (int i = 0; i < before.get("entries").size(); i++) {
            assertThat(after.get("entries").get(i)).isEqualTo(before.get("entries").get(i));
        }
        JsonNode ours = after.get("entries").get(before.get("entries").size());
        assertThat(ours.fieldNames()).toIterable().startsWith("ts", "image_path", "provider", "model", "input_tokens", "output_tokens");
        assertThat(ours.get("cost_usd").decimalValue()).isEqualByComparingTo("0.0063");
        assertThat(after.get("thresholds")).isEqualTo(before.get("thresholds"));
        String text = new String(LedgerFile.bytes(after));
        assertThat(text).contains("\"cost_usd\": 4.63,", "\"cost_usd\": 8.40441299999999,", "\"scope\": \"all\"")
                .doesNotContain("E-").endsWith("}\n");
    }

    @Test
    void monthlyTotalsAreExactSumsPerMonthAndProvider() throws IOException {
        ObjectNode l = LedgerFile.withCalls(LedgerFile.read(siteLedger()), List.of(
                call("a", "2026-07-06T10:00:00.000Z", 1_000_000, 0), call("b", "2026-08-01T00:00:00.000Z", 0, 100_000)));
        assertThat(l.at("/monthly_totals/2026-05/anthropic").decimalValue()).isEqualByComparingTo("13.33465");
        assertThat(l.at("/monthly_totals/2026-06/anthropic").decimalValue()).isEqualByComparingTo("7.984296");
        assertThat(l.at("/monthly_totals/2026-07/anthropic").decimalValue()).isEqualByComparingTo("12.158496"); // 9.158496 + $3
        assertThat(l.at("/monthly_totals/2026-08/anthropic").decimalValue()).isEqualByComparingTo("1.5");
    }

    @Test
    void foldingTheSameCallsTwiceCountsThemOnce() {
        List<CallEntry> calls = List.of(call("msg_1", "2026-07-06T10:00:00.000Z", 10, 10),
                call("msg_2", "2026-07-06T10:00:01.000Z", 10, 10));
        ObjectNode once = LedgerFile.withCalls(LedgerFile.empty(), calls);
        ObjectNode twice = LedgerFile.withCalls(once, calls);
        assertThat(twice).isEqualTo(once);
        assertThat(twice.get("entries").size()).isEqualTo(2);
    }

    @Test
    void aMonthOnlyAnOlderTotalKnowsIsKept() {
        ObjectNode l = LedgerFile.empty();
        l.putObject("monthly_totals").putObject("2025-12").put("anthropic", new BigDecimal("22.45"));
        ObjectNode after = LedgerFile.withCalls(l, List.of(call("x", "2026-07-06T10:00:00.000Z", 1_000_000, 0)));
        assertThat(after.at("/monthly_totals/2025-12/anthropic").decimalValue()).isEqualByComparingTo("22.45");
        assertThat(after.at("/monthly_totals/2026-07/anthropic").decimalValue()).isEqualByComparingTo("3");
    }

    @Test
    void aMalformedLedgerIsAnErrorNamingTheFileNeverOverwritten() throws IOException {
        Path f = dir.resolve("ledger.json");
        Files.writeString(f, "{\"entries\": [ {\"ts\": ");
        assertThatThrownBy(() -> LedgerFile.read(f)).isInstanceOf(SiteFileException.class)
                .hasMessageContaining("ledger.json").hasMessageContaining("line");
        Files.writeString(f, "{\"entries\": {}}");
        assertThatThrownBy(() -> LedgerFile.read(f)).hasMessageContaining("\"entries\" must be an array");
    }

    @Test
    void aMissingLedgerStartsEmpty() {
        ObjectNode l = LedgerFile.read(dir.resolve("none.json"));
        assertThat(l.get("entries").size()).isZero();
        assertThat(l.get("version").asText()).isEqualTo("1.0");
    }
}
