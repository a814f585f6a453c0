package dev.imagevision.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagevision.site.SiteFileException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ledger never takes an impossible row as money, and never counts one call twice, whatever a
 * person (or a merge) did to the file: {@code monthly_totals} is the sum of the distinct countable
 * rows, a row that cannot be counted (a cost that is a string, negative, absurd, a row with no month)
 * stops a paid run with a message naming it, and a row repeated by call id is counted once.
 */
class LedgerMoneyTest {
    Path dir;

    @BeforeTry
    void makeDir() throws IOException {
        dir = LedgerDirs.make("ledger-money-");
    }

    @AfterTry
    void removeDir() throws IOException {
        LedgerDirs.remove(dir);
    }

    Path ledger() {
        return LedgerDirs.ledger(dir);
    }

    Path cache() {
        return LedgerDirs.cache(dir);
    }

    /** A row as written in the file, and what it is worth: null when it cannot be counted as money. */
    record Row(JsonNode node, BigDecimal worth, String month, String id) {}

    enum Bad { COST_STRING, COST_NEGATIVE, COST_ABSURD, NO_COST, NO_MONTH, NOT_AN_OBJECT, NEGATIVE_TOKENS }

    static final String[] MONTHS = {"2026-05", "2026-06", "2026-07"};

    static ObjectNode callRow(int n, String month, BigDecimal cost, String callId) {
        ObjectNode r = LedgerFile.JSON.createObjectNode();
        r.put("ts", month + "-06T10:00:00.000Z").put("image_path", "/images/a/" + n + ".jpg").put("provider", "anthropic")
                .put("model", "claude-sonnet-4-6").put("input_tokens", 1500).put("output_tokens", 150)
                .put("cache_read_tokens", 0).put("cache_write_tokens", 0).put("cost_usd", cost).put("batch", false)
                .put("run_id", "run-" + (n % 3)).put("call_id", callId);
        return r;
    }

    static Row good(int n, int kind, int month, int micros) {
        String m = MONTHS[month];
        BigDecimal cost = BigDecimal.valueOf(micros, 6);
        return switch (kind) {
            case 0 -> new Row(callRow(n, m, cost, "msg_" + n), cost, m, "msg_" + n);
            case 1 -> new Row(callRow(n, m, cost, "unconfirmed:run-1-" + n), cost, m, "unconfirmed:run-1-" + n);
            default -> { // the site's older per-run row: no call id, a whole run's cost
                ObjectNode r = LedgerFile.JSON.createObjectNode();
                BigDecimal runCost = BigDecimal.valueOf(micros, 4);
                r.put("ts", m + "-01T09:15:12.164Z").put("scope", "all").put("images_processed", 40)
                        .put("images_cached", 3).put("cost_usd", runCost).put("provider", "anthropic").put("model", "claude-sonnet-4-6");
                yield new Row(r, runCost, m, null);
            }
        };
    }

    static Row bad(int n, Bad kind) {
        ObjectNode r = callRow(n, "2026-07", new BigDecimal("0.0069"), "msg_bad_" + n);
        switch (kind) {
            case COST_STRING -> r.put("cost_usd", "0.0069");
            case COST_NEGATIVE -> r.put("cost_usd", new BigDecimal("-100"));
            case COST_ABSURD -> r.put("cost_usd", new BigDecimal("1e308"));
            case NO_COST -> r.remove("cost_usd");
            case NO_MONTH -> r.put("ts", "yesterday");
            case NOT_AN_OBJECT -> {
                return new Row(LedgerFile.JSON.getNodeFactory().numberNode(5), null, null, null);
            }
            case NEGATIVE_TOKENS -> r.put("input_tokens", -1_000_000);
        }
        return new Row(r, null, null, "msg_bad_" + n);
    }

    @Provide
    Arbitrary<List<Row>> ledgers() {
        Arbitrary<Row> goodRow = Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 60_000)).as((kind, month, micros) -> good(-1, kind, month, micros));
        Arbitrary<Object> step = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, goodRow.map(r -> (Object) r)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0, 1_000).map(i -> (Object) ("repeat " + i))),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(Bad.class).map(b -> (Object) b)));
        return step.list().ofMinSize(1).ofMaxSize(30).map(LedgerMoneyTest::rows);
    }

    /** Numbers the rows, and makes a "repeat" an exact copy of an earlier row that has a call id. */
    static List<Row> rows(List<Object> steps) {
        List<Row> out = new ArrayList<>();
        int n = 0;
        for (Object s : steps) {
            n++;
            if (s instanceof Row r) {
                int kind = r.id() == null ? 2 : r.id().startsWith("unconfirmed:") ? 1 : 0;
                int micros = r.worth().unscaledValue().intValue();
                out.add(good(n, kind, java.util.Arrays.asList(MONTHS).indexOf(r.month()), micros));
            } else if (s instanceof Bad b) {
                out.add(bad(n, b));
            } else {
                List<Row> withId = out.stream().filter(r -> r.id() != null && r.worth() != null).toList();
                if (withId.isEmpty()) continue;
                Row first = withId.get(Integer.parseInt(((String) s).substring(7)) % withId.size());
                out.add(new Row(first.node().deepCopy(), first.worth(), first.month(), first.id()));
            }
        }
        return out;
    }

    void writeLedger(List<Row> rows) throws IOException {
        ObjectNode l = LedgerFile.JSON.createObjectNode().put("version", "1.0");
        var entries = l.putArray("entries");
        rows.forEach(r -> entries.add(r.node()));
        Files.createDirectories(ledger().getParent());
        Files.write(ledger(), LedgerFile.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(l));
    }

    /** Per month, the sum of the rows that can be counted, each call id once: what monthly_totals must say. */
    static Map<String, BigDecimal> expectedTotals(List<Row> rows, CallEntry added) {
        Map<String, BigDecimal> sums = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        for (Row r : rows) {
            if (r.worth() == null || (r.id() != null && !seen.add(r.id()))) continue;
            sums.merge(r.month(), r.worth(), BigDecimal::add);
        }
        sums.merge(added.ts().substring(0, 7), added.costUsd(), BigDecimal::add);
        sums.replaceAll((m, v) -> v.setScale(6, RoundingMode.HALF_UP));
        return sums;
    }

    static Map<String, BigDecimal> totalsOf(JsonNode ledger) {
        Map<String, BigDecimal> out = new TreeMap<>();
        ledger.path("monthly_totals").fields().forEachRemaining(e ->
                out.put(e.getKey(), e.getValue().path("anthropic").decimalValue().setScale(6, RoundingMode.HALF_UP)));
        return out;
    }

    static final CallEntry ADDED = CallEntry.priced("2026-07-20T10:00:00.000Z", "/images/b/new.jpg", "anthropic",
            "claude-sonnet-4-6", new Tokens(1500, 150, 0, 0), false, "run-new", "msg_new");

    @Property(tries = 80)
    void totalsAreTheSumOfTheDistinctCountableRowsAndAnUncountableRowStopsAPaidRun(@ForAll("ledgers") List<Row> rows)
            throws IOException {
        writeLedger(rows);
        byte[] before = Files.readAllBytes(ledger());
        List<Integer> badAt = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) if (rows.get(i).worth() == null) badAt.add(i);

        if (!badAt.isEmpty()) {
            var refused = assertThatThrownBy(() -> new LedgerStore(ledger(), cache()).check())
                    .isInstanceOf(SiteFileException.class).hasMessageContaining(ledger().getFileName().toString());
            for (int i : badAt) refused.hasMessageContaining("entries[" + i + "]");
            assertThatThrownBy(() -> new LedgerStore(ledger(), cache()).append(List.of(ADDED), Set.of()))
                    .isInstanceOf(SiteFileException.class);
            assertThat(Files.readAllBytes(ledger())).isEqualTo(before);
            return;
        }
        Map<String, BigDecimal> expected = expectedTotals(rows, ADDED);
        // the whole-file writer (pure) and the store (streaming, then by the tail) agree with the sum
        assertThat(totalsOf(LedgerFile.withCalls(LedgerFile.read(ledger()), List.of(ADDED)))).isEqualTo(expected);
        new LedgerStore(ledger(), cache()).append(List.of(ADDED), Set.of());
        JsonNode after = LedgerFile.read(ledger());
        assertThat(totalsOf(after)).isEqualTo(expected);
        assertThat(after.get("entries").size()).as("no row of the person's is removed").isEqualTo(rows.size() + 1);
        CallEntry more = new CallEntry("2026-07-21T10:00:00.000Z", "/images/b/more.jpg", "anthropic", "claude-sonnet-4-6",
                10, 10, 0, 0, new BigDecimal("0.000001"), false, "run-new", "msg_more");
        new LedgerStore(ledger(), cache()).append(List.of(more), Set.of());
        expected.merge("2026-07", new BigDecimal("0.000001"), BigDecimal::add);
        assertThat(totalsOf(LedgerFile.read(ledger()))).isEqualTo(expected);
    }
}
