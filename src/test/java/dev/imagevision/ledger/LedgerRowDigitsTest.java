package dev.imagevision.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagevision.site.SiteFileException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Figures that are numbers yet cannot be money, and ledgers that cannot be read one way. */
class LedgerRowDigitsTest {
    static JsonNode row(String cost) throws Exception {
        return LedgerFile.JSON.readTree(rowText(cost));
    }

    static String rowText(String cost) {
        return "{\"ts\": \"2026-12-05T20:10:55.836Z\", \"image_path\": \"/a.jpg\", \"provider\": \"anthropic\","
                + " \"input_tokens\": 1500, \"output_tokens\": 160, \"cost_usd\": " + cost + ", \"call_id\": \"msg_1\"}";
    }

    @Property(tries = 200)
    void everyCostThePriceTableGivesIsMoney(@ForAll @LongRange(max = 1_000_000) long in, @ForAll @LongRange(max = 128_000) long out,
                                            @ForAll @LongRange(max = 1_000_000) long cacheRead, @ForAll boolean batch) {
        for (Price p : Prices.TABLE.values()) {
            BigDecimal usd = Prices.cost(p, new Tokens(in, out, cacheRead, 0), batch);
            assertThat(LedgerRow.unlikeMoney(usd)).isNull();
        }
    }

    @Property(tries = 200)
    void aFloatPrintedInFullIsMoney(@ForAll @IntRange(min = 1, max = 28_000_000) int tenthsOfMicros) throws Exception {
        // the site's older rows: JavaScript doubles written with every digit (0.016515000000000002)
        String js = Double.toString(tenthsOfMicros * 1e-7 * 1.0000000000000002);
        assertThat(LedgerRow.problem(row(js))).isNull();
    }

    @Test
    void aCostWithAbsurdDigitsIsNamedNotWrittenBack() throws Exception {
        assertThat(LedgerRow.problem(row("1e-999999999"))).contains("cost_usd 1E-999999999").contains("decimal places");
        assertThat(LedgerRow.problem(row("1e-31"))).contains("more decimal places than any cost (31");
        assertThat(LedgerRow.problem(row("1e999999"))).contains("exponent no dollar amount has");
        assertThat(LedgerRow.problem(row("0e-1500"))).isNull(); // read as 0
        assertThat(LedgerRow.problem(row("0.0069" + "0".repeat(100)))).isNull(); // trailing zeros are still the same amount
        assertThat(LedgerRow.problem(row("1e-30"))).isNull();
        assertThat(LedgerRow.problem(row("0e5"))).isNull();
    }

    @Test
    void aTokenCountNoRequestCanHoldIsNamed() throws Exception {
        JsonNode r = LedgerFile.JSON.readTree(row("0.0069").toString().replace("\"input_tokens\":1500",
                "\"input_tokens\":99999999999999999999999"));
        assertThat(LedgerRow.problem(r)).contains("input_tokens").contains("more tokens than one request can hold");
    }

    @Test
    void aKeyWrittenTwiceIsAMalformedLedgerNamingTheLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("image-vision-cost-ledger.json");
        Files.writeString(f, "{\"version\": \"1.0\", \"entries\": [],\n \"entries\": []}");
        assertThatThrownBy(() -> LedgerFile.forEachEntry(f, e -> {})).isInstanceOf(SiteFileException.class)
                .hasMessageContaining("is not valid JSON at line 2").hasMessageContaining("'entries'");
        assertThatThrownBy(() -> LedgerFile.read(f)).hasMessageContaining("line 2");
        Files.writeString(f, "{\"entries\": [{\"ts\": \"2026-12\", \"cost_usd\": 1, \"cost_usd\": 0}]}");
        assertThatThrownBy(() -> LedgerFile.forEachEntry(f, e -> {})).hasMessageContaining("'cost_usd'");
    }

    @Test
    void aNumberNoDecimalHoldsNamesTheFileAndTheRow(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("image-vision-cost-ledger.json");
        Files.writeString(f, "{\"entries\": [\n" + rowText("0.01") + ",\n" + rowText("0.0069e-2147483648") + "]}");
        assertThatThrownBy(() -> LedgerFile.forEachEntry(f, e -> {})).isInstanceOf(SiteFileException.class)
                .hasMessageContaining("image-vision-cost-ledger.json").hasMessageContaining("entries[1] (line 3)");
    }
}
