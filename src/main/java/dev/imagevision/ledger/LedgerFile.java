package dev.imagevision.ledger;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.imagevision.cache.AtomicFiles;
import dev.imagevision.site.SiteFileException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The cost ledger file, {@code static/data/image-vision-cost-ledger.json}: {@code {version,
 * entries, monthly_totals}}. The site's existing file holds per-run rows ({@code scope,
 * images_processed, …}); they are kept byte for byte (order, fields, number text) and our
 * per-call rows are appended after them. {@code monthly_totals} is derived from the entries.
 */
public final class LedgerFile {
    private LedgerFile() {}

    static final ObjectMapper JSON = dev.imagevision.site.Json.LEDGER;

    /** The ledger as a tree, or a new empty one when the file does not exist. Malformed → error naming the file. */
    public static ObjectNode read(Path file) {
        if (!Files.exists(file)) return empty();
        JsonNode tree;
        try {
            tree = JSON.readTree(Files.readAllBytes(file));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw notJson(file, e);
        } catch (NumberFormatException e) {
            throw new SiteFileException(file, "holds a number that cannot be read (" + e.getMessage()
                    + "); fix it before a paid run (paid calls are never dropped to overwrite it)", e);
        } catch (IOException e) {
            throw new SiteFileException(file, "cannot be read: " + e.getMessage(), e);
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) return empty();
        if (!tree.isObject()) throw new SiteFileException(file, "must be a JSON object with \"entries\"");
        JsonNode entries = tree.get("entries");
        if (entries != null && !entries.isArray()) throw new SiteFileException(file, "\"entries\" must be an array");
        return (ObjectNode) tree;
    }

    /** The file cannot be read one way: where, and (for a key written twice) which key. */
    private static SiteFileException notJson(Path file, com.fasterxml.jackson.core.JsonProcessingException e) {
        var loc = e.getLocation();
        String msg = e.getOriginalMessage();
        String why = msg != null && msg.startsWith("Duplicate field") ? " (" + msg.lines().findFirst().orElse("")
                + ": a key written twice, as a merge can leave it, has no one reading)" : "";
        return new SiteFileException(file, "is not valid JSON" + (loc == null ? "" : " at line " + loc.getLineNr()
                + ", column " + loc.getColumnNr()) + why
                + "; fix it before a paid run (paid calls are never dropped to overwrite it)");
    }

    public static ObjectNode empty() {
        ObjectNode n = JSON.createObjectNode();
        n.set("version", TextNode.valueOf("1.0"));
        n.putArray("entries");
        return n;
    }

    /**
     * Pure: the ledger with the calls appended (those whose {@code call_id} it already holds are
     * skipped, so folding a journal twice counts nothing twice) and {@code monthly_totals} recomputed.
     */
    public static ObjectNode withCalls(ObjectNode ledger, List<CallEntry> calls) {
        return withCalls(ledger, calls, Set.of());
    }

    /**
     * Like {@link #withCalls(ObjectNode, List)}; first removes the ceiling rows of the requests in
     * {@code confirmed}: their replies are among {@code calls} and replace them.
     */
    public static ObjectNode withCalls(ObjectNode ledger, List<CallEntry> calls, Set<String> confirmed) {
        ObjectNode out = ledger.deepCopy();
        ArrayNode entries = out.has("entries") ? (ArrayNode) out.get("entries") : out.putArray("entries");
        if (!confirmed.isEmpty()) {
            for (Iterator<JsonNode> it = entries.elements(); it.hasNext(); ) {
                String id = it.next().path("call_id").asText("");
                if (id.startsWith(CallEntry.UNCONFIRMED)
                        && confirmed.contains(id.substring(CallEntry.UNCONFIRMED.length()))) {
                    it.remove();
                }
            }
        }
        Set<String> seen = new HashSet<>();
        for (JsonNode e : entries) if (e.hasNonNull("call_id")) seen.add(e.get("call_id").asText());
        for (CallEntry c : calls) {
            if (seen.add(c.callId())) entries.add(JSON.<JsonNode>valueToTree(c));
        }
        out.set("monthly_totals", monthlyTotals(entries, out.get("monthly_totals")));
        return out;
    }

    /**
     * {@code {"2026-05": {"anthropic": 22.45}}} summed exactly from the entries; a month that only
     * an older {@code monthly_totals} knows (its rows were pruned by hand) is kept as it was.
     */
    static ObjectNode monthlyTotals(ArrayNode entries, JsonNode previous) {
        // only rows that can be counted as money, each call once (see LedgerAudit)
        LedgerAudit audit = new LedgerAudit(entries.size());
        long i = 0;
        for (JsonNode e : entries) audit.first(e, i++, 0);
        Sums sums = new Sums();
        i = 0;
        for (JsonNode e : entries) if (audit.counts(e, i++, 0)) sums.add(e);
        return sums.monthlyTotals(previous);
    }

    /**
     * Exact sums of {@code cost_usd} by month ({@code ts}'s first 7 characters) and provider, the
     * figures {@code monthly_totals} is made of: kept between runs so an append never re-reads history.
     */
    /**
     * Writes a ledger of these per-call rows in the file's own format, {@code monthly_totals} included,
     * streaming (the rows are never all held): for a history generated by a benchmark.
     */
    public static void write(Path file, Iterable<CallEntry> rows) throws IOException {
        Sums sums = new Sums();
        try (java.io.OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
             JsonGenerator g = JSON.writer().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("version", "1.0");
            g.writeFieldName("entries");
            g.writeStartArray();
            for (CallEntry c : rows) {
                JSON.writeTree(g, JSON.valueToTree(c));
                sums.add(c);
            }
            g.writeEndArray();
            g.writeFieldName("monthly_totals");
            JSON.writeTree(g, sums.monthlyTotals(null));
            g.writeEndObject();
            g.flush();
            out.write('\n');
        }
    }

    static final class Sums {
        final Map<String, Map<String, BigDecimal>> byMonth = new TreeMap<>();

        void add(JsonNode e) {
            String ts = e.path("ts").asText("");
            JsonNode cost = e.get("cost_usd");
            if (ts.length() < 7 || cost == null || !cost.isNumber()) return;
            String provider = e.hasNonNull("provider") ? e.get("provider").asText() : "unknown";
            add(ts.substring(0, 7), provider, cost.decimalValue());
        }

        void add(CallEntry c) {
            add(JSON.<JsonNode>valueToTree(c));
        }

        void add(String month, String provider, BigDecimal usd) {
            byMonth.computeIfAbsent(month, k -> new TreeMap<>()).merge(provider, usd, BigDecimal::add);
        }

        /** The {@code monthly_totals} object: these sums rounded to 6 places, and the months only {@code previous} has. */
        ObjectNode monthlyTotals(JsonNode previous) {
            ObjectNode out = JSON.createObjectNode();
            Set<String> months = new java.util.TreeSet<>(byMonth.keySet());
            if (previous != null && previous.isObject()) previous.fieldNames().forEachRemaining(months::add);
            for (String month : months) {
                Map<String, BigDecimal> byProvider = byMonth.get(month);
                if (byProvider == null) {
                    out.set(month, previous.get(month).deepCopy());
                    continue;
                }
                ObjectNode m = out.putObject(month);
                byProvider.forEach((p, v) -> m.put(p, Prices.normalise(v.setScale(6, RoundingMode.HALF_UP))));
            }
            return out;
        }

        /** As plain decimal strings, for the sidecar state. */
        Map<String, Map<String, String>> asText() {
            Map<String, Map<String, String>> out = new TreeMap<>();
            byMonth.forEach((m, ps) -> {
                Map<String, String> row = new TreeMap<>();
                ps.forEach((p, v) -> row.put(p, v.toPlainString()));
                out.put(m, row);
            });
            return out;
        }

        static Sums of(Map<String, Map<String, String>> text) {
            Sums s = new Sums();
            if (text != null) text.forEach((m, ps) -> ps.forEach((p, v) -> s.add(m, p, new BigDecimal(v))));
            return s;
        }
    }

    // --- streaming: a ledger of a million rows is never held in memory ----------------------------

    /** One entry of the ledger, read by {@link #forEachEntry}. */
    @FunctionalInterface
    public interface EntryVisitor {
        void entry(JsonNode entry) throws IOException;
    }

    /**
     * Reads the ledger's entries one at a time, in file order (nothing when the file does not
     * exist); memory stays bounded by the largest entry. Malformed → the same errors as {@link #read}.
     */
    public static void forEachEntry(Path file, EntryVisitor visitor) throws IOException {
        if (!Files.exists(file)) return;
        scan(file, (e, endOffset, index, line) -> visitor.entry(e));
    }

    /** One entry of the ledger with where it is: its index in {@code entries} and the line it starts on. */
    @FunctionalInterface
    public interface RowVisitor {
        void row(JsonNode entry, long index, long line) throws IOException;
    }

    /** As {@link #forEachEntry}, with each entry's index and line (for messages that point at a row). */
    public static void forEachRow(Path file, RowVisitor visitor) throws IOException {
        if (!Files.exists(file)) return;
        scan(file, (e, endOffset, index, line) -> visitor.row(e, index, line));
    }

    /**
     * What a pass over the file meets: each entry with the byte offset just after it, its index and the
     * line it starts on, and each other top-level member.
     */
    @FunctionalInterface
    interface Visitor {
        void entry(JsonNode entry, long endOffset, long index, long line) throws IOException;

        default void member(String name, JsonNode value) {}
    }

    /**
     * The layout of a ledger file as one streaming pass found it.
     *
     * @param splice            the byte offset just after the last entry (just after {@code [} when there is none):
     *                          where rows are appended; -1 when rows cannot be appended in place
     * @param entries           how many entries
     * @param entriesArray      whether there is an {@code entries} array at all
     * @param totalsAfterEntries whether {@code monthly_totals} is absent or written after the entries
     */
    record Layout(long splice, long entries, boolean entriesArray, boolean totalsAfterEntries) {}

    /** One pass over the file, bounded memory; an empty file or {@code null} reads as an empty ledger. */
    static Layout scan(Path file, Visitor visitor) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
             JsonParser p = JSON.getFactory().createParser(in)) {
            JsonToken t = p.nextToken();
            if (t == null || t == JsonToken.VALUE_NULL) return new Layout(-1, 0, false, true);
            if (t != JsonToken.START_OBJECT) throw new SiteFileException(file, "must be a JSON object with \"entries\"");
            long splice = -1, count = 0;
            boolean sawEntries = false, totalsBefore = false, objectsOnly = true;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (name.equals("entries")) {
                    if (v != JsonToken.START_ARRAY) throw new SiteFileException(file, "\"entries\" must be an array");
                    sawEntries = true;
                    splice = p.currentTokenLocation().getByteOffset() + 1;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        long line = p.currentTokenLocation().getLineNr();
                        JsonNode e = entry(file, p, count, line);
                        if (e.isObject()) splice = p.currentTokenLocation().getByteOffset() + 1; // just after its '}'
                        else objectsOnly = false; // nothing a person would write; such a file is always rewritten whole
                        visitor.entry(e, splice, count, line);
                        count++;
                    }
                } else {
                    JsonNode value = JSON.readTree(p);
                    if (name.equals("monthly_totals") && !sawEntries) totalsBefore = true;
                    visitor.member(name, value);
                }
            }
            if (t != JsonToken.END_OBJECT) throw new SiteFileException(file, "must be a JSON object with \"entries\"");
            if (p.nextToken() != null) throw new SiteFileException(file, "holds more than one JSON value");
            return new Layout(objectsOnly ? splice : -1, count, sawEntries, !totalsBefore);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw notJson(file, e);
        } catch (NumberFormatException e) { // outside the entries (monthly_totals): named by the file only
            throw new SiteFileException(file, "holds a number that cannot be read (" + e.getMessage()
                    + "); fix it before a paid run (paid calls are never dropped to overwrite it)", e);
        }
    }

    /**
     * The entry the parser is on. A number no decimal can hold ({@code 0.0069e-2147483648}: its exponent
     * overflows) stops the pass, the file and the row named like any other row that cannot be money.
     */
    private static JsonNode entry(Path file, JsonParser p, long index, long line) throws IOException {
        try {
            return JSON.readTree(p);
        } catch (NumberFormatException | com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
            String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new SiteFileException(file, "has a row that cannot be counted as money: " + LedgerAudit.where(index, line)
                    + ": holds a value that cannot be read (" + (why == null ? "" : why.lines().findFirst().orElse("").strip())
                    + "). A paid run spends nothing until the row is fixed or removed", e);
        }
    }

    public static byte[] bytes(ObjectNode ledger) {
        try {
            return (JSON.writeValueAsString(ledger) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise the ledger", e);
        }
    }

    /** Atomic write, skipped when nothing changed. */
    public static boolean write(Path file, ObjectNode ledger) throws IOException {
        return AtomicFiles.writeIfChanged(file, bytes(ledger));
    }

    /** Per-call rows (ours), newest last. */
    public static List<JsonNode> callRows(ObjectNode ledger) {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (Iterator<JsonNode> it = ledger.path("entries").elements(); it.hasNext(); ) {
            JsonNode e = it.next();
            if (e.has("image_path") && e.has("input_tokens")) out.add(e);
        }
        return out;
    }
}
