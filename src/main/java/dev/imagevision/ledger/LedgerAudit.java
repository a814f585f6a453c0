package dev.imagevision.ledger;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What a ledger's rows are worth as money, read in two passes one row at a time: the rows that cannot
 * be counted ({@link LedgerRow#problem}), and the rows that repeat an earlier row's call id. A repeat
 * identical to its first row is the same call (a merge kept both copies): it is counted once. One with
 * other figures cannot be told from the first, nor which of them was billed, so it cannot be counted.
 *
 * <p>Memory stays bounded however long the ledger: the first pass ({@link #first}) checks each row and
 * notes in a filter of six bytes per row which call ids may have been seen before ("maybe" can be
 * wrong, "no" never is); the second ({@link #counts}) settles those few exactly, keeping a hash of the
 * first row of each. When no id may repeat, the second pass finds nothing and only counts.
 */
public final class LedgerAudit {
    /** One finding: where in the file ({@code entries[3] (line 41)}) and what. */
    public record Finding(String where, String message) {
        @Override
        public String toString() {
            return where + ": " + message;
        }
    }

    /** Findings kept word for word (the count goes on). */
    static final int KEPT = 1_000;
    /**
     * 48 bits and 16 probes per row: a false "maybe" about once in 500 million rows, so a ledger with no
     * repeated call needs no second pass where nothing else reads it twice ({@code validate}); 6 MB for
     * a million rows.
     */
    private static final int BITS_PER_ROW = 48;
    private static final int PROBES = 16;
    private static final Pattern MONTH = Pattern.compile("^[0-9]{4}-(0[1-9]|1[0-2])$");

    private final long[] seen;
    /** Rows the first pass found uncountable, by index: the second pass need not check them again. */
    private final java.util.BitSet uncountable = new java.util.BitSet();
    private final Set<String> maybeRepeated = new HashSet<>();
    private final Map<String, First> firsts = new HashMap<>();
    private final List<Finding> problems = new ArrayList<>();
    private final List<Finding> repeats = new ArrayList<>();
    private long problemCount;
    private long repeatCount;

    private record First(String where, long content) {}

    /** @param expectedRows about how many rows the ledger has (too few only costs the second pass a few more rows to settle) */
    public LedgerAudit(long expectedRows) {
        long bits = Math.max(1 << 12, Math.min(expectedRows * BITS_PER_ROW, 1L << 30));
        seen = new long[(int) ((bits + 63) / 64)];
    }

    /** Sized for a ledger file of this many bytes (a row of ours is about 400). */
    public static LedgerAudit forBytes(long bytes) {
        return new LedgerAudit(bytes / 256 + 1_024);
    }

    /** Where a row is, as messages name it. */
    public static String where(long index, long line) {
        return "entries[" + index + "]" + (line > 0 ? " (line " + line + ")" : "");
    }

    /** Pass one: checks the row and notes its call id. Returns whether it can be counted as money. */
    public boolean first(JsonNode row, long index, long line) {
        String problem = LedgerRow.problem(row);
        if (problem != null) {
            problem(new Finding(where(index, line), problem));
            uncountable.set(Math.toIntExact(index));
            return false;
        }
        String id = LedgerRow.callId(row);
        if (id != null && !mark(id)) maybeRepeated.add(id);
        return true;
    }

    /**
     * Checks a {@code monthly_totals} member: a month that only it knows (its rows pruned by hand) is
     * kept as it is, so it must be money too.
     */
    public void totals(JsonNode totals) {
        if (totals == null || totals.isNull()) return;
        if (!totals.isObject()) {
            problem(new Finding("monthly_totals", "is " + LedgerRow.shown(totals) + ", not an object of months"));
            return;
        }
        totals.fields().forEachRemaining(month -> {
            if (!MONTH.matcher(month.getKey()).matches()) {
                problem(new Finding("monthly_totals", "\"" + month.getKey() + "\" is not a month (YYYY-MM)"));
            } else if (!month.getValue().isObject()) {
                problem(new Finding("monthly_totals." + month.getKey(), "is " + LedgerRow.shown(month.getValue())
                        + ", not an object of providers"));
            } else {
                month.getValue().fields().forEachRemaining(p -> {
                    JsonNode v = p.getValue();
                    boolean money = v.isNumber() && (!(v.isDouble() || v.isFloat()) || Double.isFinite(v.doubleValue()))
                            && v.decimalValue().signum() >= 0 && LedgerRow.unlikeMoney(v.decimalValue()) == null;
                    if (!money) {
                        problem(new Finding("monthly_totals." + month.getKey() + "." + p.getKey(), "is "
                                + LedgerRow.shown(v) + ", not an amount of money"));
                    }
                });
            }
        });
    }

    /** Whether the second pass can find anything: some call id may repeat. */
    public boolean mayRepeat() {
        return !maybeRepeated.isEmpty();
    }

    /**
     * Pass two, the same rows in the same order (by index): whether the row counts as money, that is,
     * it can be counted and is the first of its call id.
     */
    public boolean counts(JsonNode row, long index, long line) {
        if (uncountable.get(Math.toIntExact(index))) return false;
        String id = LedgerRow.callId(row);
        if (id == null || !maybeRepeated.contains(id)) return true;
        String where = where(index, line);
        long content = content(row);
        First first = firsts.putIfAbsent(id, new First(where, content));
        if (first == null) return true;
        if (first.content() == content) {
            repeatCount++;
            if (repeats.size() < KEPT) {
                repeats.add(new Finding(where, "repeats " + first.where() + " (call_id " + id
                        + "): the same call, counted once in monthly_totals; remove the copy"));
            }
        } else {
            problem(new Finding(where, "has the call_id " + id + " of " + first.where() + " with other figures: "
                    + "which one was billed cannot be told; remove the wrong one"));
        }
        return false;
    }

    /** Rows (and totals) that cannot be counted as money, the first {@value #KEPT}. */
    public List<Finding> problems() {
        return List.copyOf(problems);
    }

    public long problemCount() {
        return problemCount;
    }

    /** Rows that repeat an earlier one exactly, the first {@value #KEPT}. */
    public List<Finding> repeats() {
        return List.copyOf(repeats);
    }

    public long repeatCount() {
        return repeatCount;
    }

    /**
     * Both passes over a ledger file, one row at a time; {@code alsoEachRow} sees every row of the
     * first. Malformed → the errors of {@link LedgerFile#read}, naming the file.
     */
    public static LedgerAudit of(Path file, LedgerFile.EntryVisitor alsoEachRow) throws IOException {
        LedgerAudit audit = forBytes(Files.exists(file) ? Files.size(file) : 0);
        if (!Files.exists(file)) return audit;
        LedgerFile.scan(file, new LedgerFile.Visitor() {
            @Override
            public void entry(JsonNode entry, long end, long index, long line) throws IOException {
                audit.first(entry, index, line);
                alsoEachRow.entry(entry);
            }

            @Override
            public void member(String name, JsonNode value) {
                if (name.equals("monthly_totals")) audit.totals(value);
            }
        });
        if (!audit.mayRepeat()) return audit;
        LedgerFile.scan(file, (entry, end, index, line) -> audit.counts(entry, index, line));
        return audit;
    }

    /**
     * What the file's problems mean for a paid run, as one message: every problem the audit kept is
     * named; the run spends nothing until they are fixed.
     */
    String refusal() {
        StringBuilder b = new StringBuilder();
        b.append(problemCount == 1 ? "has a row that cannot be counted as money: "
                : "has " + problemCount + " rows that cannot be counted as money: ");
        int shown = 0;
        for (Finding f : problems) {
            if (shown++ == 20) break;
            b.append(shown == 1 ? "" : "; ").append(f);
        }
        if (problemCount > 20) b.append("; and ").append(problemCount - 20).append(" more (imagevision validate lists them)");
        b.append(". A paid run spends nothing while the ledger cannot be totalled (its monthly totals, and the price per "
                + "image the batch cost limit is measured from, would be wrong): fix or remove these rows, then run "
                + "again; calls already paid for wait in the ledger journal and are added then");
        return b.toString();
    }

    private void problem(Finding f) {
        problemCount++;
        if (problems.size() < KEPT) problems.add(f);
    }

    /** Sets the id's bits; false when all were set already (it may have been seen). */
    private boolean mark(String id) {
        long h = hash(id);
        long h1 = h, h2 = (h >>> 32) | 1;
        long bits = seen.length * 64L;
        boolean fresh = false;
        for (int i = 0; i < PROBES; i++) {
            long bit = Math.floorMod(h1 + i * h2, bits);
            int w = (int) (bit >>> 6);
            long mask = 1L << (bit & 63);
            if ((seen[w] & mask) == 0) {
                fresh = true;
                seen[w] |= mask;
            }
        }
        return fresh;
    }

    /** 64-bit FNV-1a with a final mix: spreads ids that differ in one character. */
    private static long hash(CharSequence s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }

    /** A hash of what the row says, whatever the order of its fields or the zeros after a number's point. */
    static long content(JsonNode row) {
        StringBuilder b = new StringBuilder();
        canonical(row, b);
        return hash(b);
    }

    private static void canonical(JsonNode n, StringBuilder b) {
        if (n.isObject()) {
            b.append('{');
            for (String name : new TreeSet<>(iterable(n))) {
                b.append('"').append(name).append("\":");
                canonical(n.get(name), b);
                b.append(',');
            }
            b.append('}');
        } else if (n.isArray()) {
            b.append('[');
            for (JsonNode e : n) {
                canonical(e, b);
                b.append(',');
            }
            b.append(']');
        } else if (n.isNumber() && !((n.isDouble() || n.isFloat()) && !Double.isFinite(n.doubleValue()))) {
            BigDecimal d = n.decimalValue().stripTrailingZeros();
            b.append('#').append(d.toString());
        } else {
            b.append(n.toString());
        }
    }

    private static List<String> iterable(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
