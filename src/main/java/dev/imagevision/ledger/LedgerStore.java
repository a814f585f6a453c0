package dev.imagevision.ledger;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagevision.cache.AtomicFiles;
import dev.imagevision.cache.LeftIncompleteException;
import dev.imagevision.site.SiteFileException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cost ledger file on disk, grown in time proportional to the rows added and in constant
 * memory however long its history. The file keeps the site's shape ({@code {version, entries:
 * […], monthly_totals: {…}}}, byte for byte what {@link LedgerFile#withCalls} would write for a
 * file we wrote); beside the journal, in the cache folder, three small files let an append leave
 * the history alone:
 * <ul>
 *   <li>{@value #STATE}: where the last entry ends, how many there are, the exact sums behind
 *       {@code monthly_totals} (of the rows that can be counted as money, each call once: see
 *       {@link LedgerAudit}), the rows repeated by call id, and a fingerprint of every byte of the
 *       file. When the fingerprint no longer matches (a pull, a merge, a hand edit of any size), it is
 *       rebuilt in one streaming pass, which refuses a row that cannot be counted as money;</li>
 *   <li>{@value #IDS}: a filter of the call ids the ledger holds ({@link CallIdFilter}), so a row
 *       already there (a journal folded again after a kill, a batch result collected twice) is never
 *       added twice;</li>
 *   <li>{@value #UNDO}: while an append rewrites the file's tail in place, the tail as it was. A
 *       process killed mid-write leaves it; the next run puts the tail back before anything else and
 *       folds the journal (still there: it is deleted only after the append) again.</li>
 * </ul>
 * An append reads and rewrites only the tail ({@code ]}, {@code monthly_totals}, {@code }}). When it
 * cannot (no state yet, a row that may already be there, a confirmed ceiling row to remove, a layout
 * of someone else's), the whole file is streamed into a temporary file and renamed over it, as
 * before, still in constant memory; that also moves {@code monthly_totals} after the entries, where
 * the next append finds it.
 */
final class LedgerStore {
    static final String STATE = "ledger-state.json";
    static final String IDS = "ledger-ids.bloom";
    static final String UNDO = "ledger-undo.json";
    /** 2: the fingerprint covers every byte of the file (1 hashed its last 64 KiB only, and trusted its mtime). */
    private static final int FORMAT = 2;
    /** Repeated rows named in the state, so every paid run can say so again without reading the file. */
    private static final int REPEATS_KEPT = 20;
    /** Room for this many new ids beyond twice the rows, before the id filter is rebuilt larger. */
    private static final long MIN_IDS = 4_096;
    private static final ObjectMapper SIDE = dev.imagevision.site.Json.LEDGER; // exact decimals, like the ledger

    /**
     * What the sidecar knows of the ledger file as this tool last wrote or read it. The fingerprint
     * covers every byte: a CRC-32C of the file up to {@code prefix} (where the last entry ends, or the
     * whole file) and a SHA-256 of the rest, its small tail. A CRC because it is checked on every paid
     * run and must cost little on a long ledger (hardware-accelerated, it reads 400 MB in about 0.1 s
     * where SHA-256 takes seconds in the launcher's JIT mode); it is no defence against someone forging
     * it, who could as well edit this file, but no edit a person or a tool makes goes unnoticed (one
     * chance in four billion), whatever it keeps of the file's length or modification time.
     */
    record State(@JsonProperty("format") int format,
                 @JsonProperty("length") long length,
                 @JsonProperty("prefix") long prefix,
                 @JsonProperty("prefix_crc32c") long prefixCrc32c,
                 @JsonProperty("tail_sha256") String tailSha256,
                 @JsonProperty("splice") long splice,
                 @JsonProperty("entries") long entries,
                 @JsonProperty("sums") Map<String, Map<String, String>> sums,
                 @JsonProperty("repeats") List<String> repeats,
                 @JsonProperty("repeat_count") long repeatCount) {}

    /** The file's fingerprint, and the CRC at the end of its prefix (an append goes on from there). */
    private record Fingerprint(long prefix, long prefixCrc32c, String tailSha256, java.util.zip.CRC32C atPrefix) {}

    /** The tail an in-place append is replacing, and how to check it is still that file. */
    record Undo(@JsonProperty("splice") long splice,
                @JsonProperty("length") long length,
                @JsonProperty("tail") String tail,
                @JsonProperty("before_sha256") String beforeSha256) {}

    /**
     * How the store opens the ledger, and the file a whole rewrite goes to, for writing: the file system
     * itself, or in a test one that fails part way as a full disk or a file size limit does.
     */
    @FunctionalInterface
    interface Opener {
        FileChannel open(Path file, java.nio.file.OpenOption... options) throws IOException;
    }

    private final Path ledger;
    private final Path dir;
    private final Opener opener;
    /**
     * What this store last checked or wrote: the file's length, modification time and inode then, the
     * state, and the fingerprint (with its CRC at the prefix, where an append goes on). While the file
     * still has that length, time and inode, {@link #valid} trusts it without reading the file again:
     * a paid run reads its ledger once, when it opens it, not again when it appends at the end. That
     * costs no safety: the fingerprint an append saves is derived from the bytes checked then and the
     * bytes written, never from the file, so an edit made meanwhile fails the next run's check.
     */
    private Checked checked;

    private record Checked(List<Object> stat, State state, Fingerprint fp) {}

    LedgerStore(Path ledger, Path dir) {
        this(ledger, dir, FileChannel::open);
    }

    LedgerStore(Path ledger, Path dir, Opener opener) {
        this.ledger = ledger;
        this.dir = dir;
        this.opener = opener;
    }

    /**
     * Puts back the tail an append was rewriting when the process died, if the file is still the one
     * it was writing (its bytes before the tail unchanged). The journal, deleted only after an append,
     * is then folded again.
     */
    void recover() throws IOException {
        // what a rewrite killed half way left: ours by name, never read
        Files.deleteIfExists(rewriteFile());
        Files.deleteIfExists(dir.resolve(IDS + ".new"));
        Path undoFile = dir.resolve(UNDO);
        if (!Files.exists(undoFile)) return;
        Undo u;
        try {
            u = SIDE.readValue(undoFile.toFile(), Undo.class);
        } catch (IOException torn) {
            Files.delete(undoFile); // written whole before the ledger was touched: a torn one was never acted on
            return;
        }
        checked = null;
        if (Files.isRegularFile(ledger) && Files.size(ledger) >= u.splice()
                && sha256(ledger, Math.max(0, u.splice() - 4096), u.splice()).equals(u.beforeSha256())) {
            byte[] tail = Base64.getDecoder().decode(u.tail());
            try (FileChannel ch = opener.open(ledger, StandardOpenOption.WRITE)) {
                writeFully(ch, tail, u.splice());
                ch.truncate(u.length());
                ch.force(true);
            } catch (IOException e) {
                // the record stays: the file may still be as the stopped run left it, and the next run tries again
                throw new LeftIncompleteException(ledger, "cannot put back the end of " + ledger + " that a stopped run "
                        + "was rewriting: " + e.getMessage() + "; it is left incomplete until a run can write it (from "
                        + undoFile + "; do not commit it until then)", e);
            }
        }
        Files.deleteIfExists(dir.resolve(STATE));
        Files.delete(undoFile);
    }

    /**
     * Fails (naming the file) when the ledger is malformed: free when the state still describes the
     * file, else one streaming pass, which also rebuilds the state.
     */
    void check() throws IOException {
        if (Files.exists(ledger) && valid() == null) rebuild();
    }

    /**
     * Appends the calls whose {@code call_id} the ledger does not hold yet (the first of any repeated
     * one), after removing the ceiling rows of the requests in {@code confirmed} (their replies are
     * among the calls), and brings {@code monthly_totals} up to date. Returns whether the file changed.
     */
    boolean append(List<CallEntry> calls, Set<String> confirmed) throws IOException {
        recover();
        Map<String, CallEntry> fresh = new LinkedHashMap<>();
        for (CallEntry c : calls) fresh.putIfAbsent(c.callId(), c);
        Set<String> drop = new HashSet<>();
        for (String requestId : confirmed) drop.add(CallEntry.unconfirmedId(requestId));
        if (!Files.exists(ledger)) return rewrite(fresh, drop);
        State st = valid();
        if (st == null) st = rebuild();
        if (st.splice() < 0) return rewrite(fresh, drop);
        try (CallIdFilter ids = CallIdFilter.open(dir.resolve(IDS))) {
            if (ids == null || ids.count() + fresh.size() > ids.capacity()) return rewrite(fresh, drop);
            for (String id : drop) if (ids.mightContain(id)) return rewrite(fresh, drop);
            for (String id : fresh.keySet()) if (ids.mightContain(id)) return rewrite(fresh, drop);
            if (fresh.isEmpty()) return false; // nothing new, nothing to remove: the file is as it should be
            return splice(st, ids, List.copyOf(fresh.values()));
        }
    }

    // --- the fast way: rewrite the tail ------------------------------------------------------------

    private boolean splice(State st, CallIdFilter ids, List<CallEntry> rows) throws IOException {
        byte[] oldTail = read(ledger, st.splice(), st.length());
        ObjectNode trailing = trailingMembers(oldTail);
        if (trailing == null) return rewrite(byId(rows), Set.of());
        JsonNode previousTotals = trailing.remove("monthly_totals");
        LedgerFile.Sums sums = LedgerFile.Sums.of(st.sums());
        ObjectNode rowsOnly = LedgerFile.JSON.createObjectNode();
        ArrayNode arr = rowsOnly.putArray("entries");
        for (CallEntry c : rows) {
            arr.add(LedgerFile.JSON.<JsonNode>valueToTree(c));
            sums.add(c);
        }
        ObjectNode whole = rowsOnly.deepCopy();
        whole.setAll(trailing);
        whole.set("monthly_totals", sums.monthlyTotals(previousTotals));
        // both documents start {"entries": [rows…; the second goes on as the file's tail does
        byte[] rowsBytes = LedgerFile.JSON.writeValueAsBytes(rowsOnly);
        byte[] wholeBytes = LedgerFile.bytes(whole);
        int open = indexOf(wholeBytes, (byte) '[') + 1;
        int rowsEnd = rowsBytes.length - "\n  ]\n}".length();
        if (open <= 0 || rowsEnd <= open || !Arrays.equals(rowsBytes, 0, rowsEnd, wholeBytes, 0, rowsEnd)) {
            return rewrite(byId(rows), Set.of());
        }
        byte[] comma = st.entries() > 0 ? new byte[] {','} : new byte[0];
        byte[] newTail = new byte[comma.length + wholeBytes.length - open];
        System.arraycopy(comma, 0, newTail, 0, comma.length);
        System.arraycopy(wholeBytes, open, newTail, comma.length, wholeBytes.length - open);
        long newSplice = st.splice() + comma.length + (rowsEnd - open);

        ids.mark();
        try {
            for (CallEntry c : rows) ids.add(c.callId()); // before the rows exist: a crash leaves an extra id, never a missing one
            ids.force();
        } catch (IOException e) {
            throw new IOException("cannot write " + dir.resolve(IDS) + ": " + e.getMessage() + " (the ledger is as it was)", e);
        }
        Fingerprint verified = checked != null && checked.state() == st ? checked.fp() : null;
        checked = null; // the file is about to change; saveState records it anew
        Path undoFile = dir.resolve(UNDO);
        java.nio.file.attribute.FileTime modified = Files.getLastModifiedTime(ledger);
        try {
            AtomicFiles.write(undoFile, SIDE.writeValueAsBytes(new Undo(st.splice(), st.length(),
                    Base64.getEncoder().encodeToString(oldTail), sha256(ledger, Math.max(0, st.splice() - 4096), st.splice()))));
        } catch (IOException e) {
            throw asItWas(e, modified, ids);
        }
        writeTail(st, oldTail, newTail, modified, ids);
        Files.delete(undoFile);
        // the new fingerprint follows from the one just checked and the bytes written: no need to read the file
        Fingerprint fp = null;
        if (verified != null && verified.prefix() == st.splice()) {
            int rowsLength = (int) (newSplice - st.splice());
            verified.atPrefix().update(newTail, 0, rowsLength);
            fp = new Fingerprint(newSplice, verified.atPrefix().getValue(),
                    sha256(newTail, rowsLength, newTail.length - rowsLength), verified.atPrefix());
        }
        saveState(newSplice, st.entries() + rows.size(), sums, st.repeats(), st.repeatCount(), fp);
        return true;
    }

    /**
     * Replaces the file's tail with {@code newTail}, or leaves the file as it was and says so, or (when
     * even that fails) says the file is incomplete until the next run puts the tail back from the undo
     * record. The bytes past the old end are written first: a file size limit or a full disk fails
     * there, before one byte of the file has changed, and shortening the file again gives back what
     * was added. Only then is the old tail rewritten, inside the file: no new space, no offset past the
     * new end.
     */
    private void writeTail(State st, byte[] oldTail, byte[] newTail, java.nio.file.attribute.FileTime modified,
                           CallIdFilter ids) throws IOException {
        int inPlace = Math.min(oldTail.length, newTail.length);
        FileChannel ch;
        try {
            ch = opener.open(ledger, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw asItWas(e, modified, ids);
        }
        try {
            try {
                writeFully(ch, newTail, inPlace, newTail.length - inPlace, st.length());
                ch.force(true);
            } catch (IOException e) {
                try {
                    ch.truncate(st.length()); // only what this write added
                    ch.force(true);
                } catch (IOException again) {
                    throw incomplete(e, again);
                }
                throw asItWas(e, modified, ids);
            }
            try {
                writeFully(ch, newTail, 0, inPlace, st.splice());
                if (newTail.length < oldTail.length) ch.truncate(st.splice() + newTail.length);
                ch.force(true);
            } catch (IOException e) {
                try {
                    writeFully(ch, oldTail, 0, oldTail.length, st.splice());
                    ch.truncate(st.length());
                    ch.force(true);
                } catch (IOException again) {
                    throw incomplete(e, again);
                }
                throw asItWas(e, modified, ids);
            }
        } finally {
            try {
                ch.close();
            } catch (IOException ignored) {
                // written and forced already, or failing for a reason said above
            }
        }
    }

    /** The file is as it was: its modification time too (so the state still describes it), the undo record gone, the ids taken back. */
    private IOException asItWas(IOException e, java.nio.file.attribute.FileTime modified, CallIdFilter ids) {
        try {
            Files.setLastModifiedTime(ledger, modified);
        } catch (IOException ignored) {
            // the state then no longer matches the file and is rebuilt once: slower, never wrong
        }
        try {
            Files.deleteIfExists(dir.resolve(UNDO));
        } catch (IOException ignored) {
            // the next run's recovery finds the tail as the record has it and puts back the same bytes
        }
        try {
            ids.rollback();
        } catch (IOException ignored) {
            // an extra id costs the next append a check of the file, never a missing row
        }
        return new IOException("cannot write " + ledger + ": " + e.getMessage() + " (the ledger is as it was)", e);
    }

    private LeftIncompleteException incomplete(IOException e, IOException again) {
        LeftIncompleteException out = new LeftIncompleteException(ledger, "cannot write " + ledger + ": " + e.getMessage()
                + "; putting its end back failed too (" + again.getMessage() + "): it is left incomplete until the next "
                + "run puts its end back from " + dir.resolve(UNDO) + " before anything else (do not commit it until then)", e);
        out.addSuppressed(again);
        return out;
    }

    /**
     * The object members after the entries array in a tail {@code ] , "k": v … }}: null when the
     * tail is not that (then the file is rewritten whole).
     */
    static ObjectNode trailingMembers(byte[] tail) {
        String t = new String(tail, StandardCharsets.UTF_8);
        int i = 0;
        while (i < t.length() && Character.isWhitespace(t.charAt(i))) i++;
        if (i >= t.length() || t.charAt(i) != ']') return null;
        ObjectNode out = LedgerFile.JSON.createObjectNode();
        try (JsonParser p = LedgerFile.JSON.getFactory().createParser("{\"\":0" + t.substring(i + 1))) {
            p.nextToken();
            p.nextToken();
            p.nextToken(); // the stand-in member
            JsonToken tok;
            while ((tok = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                out.set(name, LedgerFile.JSON.readTree(p));
            }
            if (tok != JsonToken.END_OBJECT || p.nextToken() != null) return null;
        } catch (IOException e) {
            return null;
        }
        return out;
    }

    // --- the whole way: stream the file into a new one ---------------------------------------------

    /** Rewrites the file whole, streaming: constant memory, time proportional to its length. */
    private boolean rewrite(Map<String, CallEntry> fresh, Set<String> drop) throws IOException {
        boolean exists = Files.exists(ledger);
        // pass 1: which new rows are there already, the old monthly_totals, how many rows
        Set<String> present = new HashSet<>();
        Pass1 first = exists ? pass1(fresh, present) : new Pass1(null, 0, new LedgerAudit(0));
        refuseUncountable(first.audit());
        List<CallEntry> add = fresh.values().stream().filter(c -> !present.contains(c.callId())).toList();

        // pass 2: into a temporary file beside the ledger, renamed over it
        Path tmp = rewriteFile();
        Files.createDirectories(tmp.toAbsolutePath().getParent());
        Whole w;
        try (FileChannel ch = opener.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            // the generator closes what it writes to; the channel must stay open to be forced
            OutputStream file = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(ch), 1 << 16) {
                @Override
                public void close() throws IOException {
                    flush();
                }
            };
            w = writeWhole(file, exists, first, add, drop);
            file.flush();
            refuseUncountable(first.audit()); // a call id with two different rows, found while copying
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            if (e instanceof SiteFileException) throw e;
            if (e instanceof IOException) {
                throw new IOException("cannot write " + ledger + ": " + e.getMessage() + " (the ledger is as it was)", e);
            }
            throw e;
        }
        if (exists && Files.mismatch(tmp, ledger) == -1) { // nothing changed: a warm run rewrites nothing
            Files.delete(tmp);
            saveIds(w.ids());
            saveState(w.splice(), w.entries(), w.sums(), first.audit(), null);
            return false;
        }
        Files.deleteIfExists(dir.resolve(STATE)); // describes the old file: a crash after the rename rebuilds it
        try {
            Files.move(tmp, ledger, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, ledger, StandardCopyOption.REPLACE_EXISTING);
        }
        saveIds(w.ids());
        saveState(w.splice(), w.entries(), w.sums(), first.audit(), null);
        return true;
    }

    /**
     * What a first, read-only pass found: the old {@code monthly_totals}, how many rows there are, and
     * what they are worth as money (the audit goes on in the second pass, which counts).
     */
    private record Pass1(JsonNode previousTotals, long rows, LedgerAudit audit) {}

    /** The temporary file a whole rewrite goes to, beside the ledger so the rename stays on one file system. */
    private Path rewriteFile() {
        return ledger.resolveSibling("." + ledger.getFileName() + ".rewrite.tmp");
    }

    /** Checks the file (errors name it), notes the rows of {@code fresh} it already holds. */
    private Pass1 pass1(Map<String, CallEntry> fresh, Set<String> present) throws IOException {
        JsonNode[] previousTotals = {null};
        long[] rows = {0};
        LedgerAudit audit = LedgerAudit.forBytes(Files.size(ledger));
        LedgerFile.scan(ledger, new LedgerFile.Visitor() {
            @Override
            public void entry(JsonNode e, long end, long index, long line) {
                rows[0]++;
                audit.first(e, index, line);
                JsonNode id = e.get("call_id");
                if (id != null && id.isTextual() && fresh.containsKey(id.asText())) present.add(id.asText());
            }

            @Override
            public void member(String name, JsonNode value) {
                if (name.equals("monthly_totals")) {
                    previousTotals[0] = value;
                    audit.totals(value);
                }
            }
        });
        return new Pass1(previousTotals[0], rows[0], audit);
    }

    /** A ledger with a row that cannot be counted as money is refused, every such row named. */
    private void refuseUncountable(LedgerAudit audit) {
        if (audit.problemCount() > 0) throw new SiteFileException(ledger, audit.refusal());
    }

    /** What writing the file whole produced: where its last entry ends, how many, their sums and ids. */
    private record Whole(long splice, long entries, LedgerFile.Sums sums, CallIdFilter.Builder ids) {}

    /**
     * The whole file, as {@link LedgerFile#withCalls} would write it, streamed to {@code sink}: the
     * file's members in order, its entries but those in {@code drop}, then {@code add}, and
     * {@code monthly_totals} last.
     */
    private Whole writeWhole(OutputStream sink, boolean exists, Pass1 first, List<CallEntry> add, Set<String> drop)
            throws IOException {
        CallIdFilter.Builder ids = new CallIdFilter.Builder(2 * (first.rows() + add.size()) + MIN_IDS);
        LedgerFile.Sums sums = new LedgerFile.Sums();
        long[] splice = {-1};
        long[] count = {0};
        Counting out = new Counting(sink);
        try (JsonGenerator g = LedgerFile.JSON.writer().createGenerator(out)) {
            g.writeStartObject();
            Copied copied = exists ? copyMembers(g, out, drop, add, first.audit(), ids, sums, splice, count) : Copied.NOTHING;
            if (copied != Copied.ENTRIES) {
                if (copied == Copied.NOTHING) g.writeStringField("version", "1.0"); // a new (or empty) ledger
                g.writeFieldName("entries");
                writeRows(g, out, null, drop, add, first.audit(), ids, sums, splice, count);
            }
            g.writeFieldName("monthly_totals");
            LedgerFile.JSON.writeTree(g, sums.monthlyTotals(first.previousTotals()));
            g.writeEndObject();
            g.flush();
            out.write('\n');
            out.flush();
        }
        return new Whole(splice[0], count[0], sums, ids);
    }

    /** What {@link #copyMembers} found: no object (an empty file, {@code null}), an object without entries, or entries. */
    private enum Copied { NOTHING, MEMBERS, ENTRIES }

    /**
     * Copies the file's top-level members in order, the entries with the rows dropped and added,
     * {@code monthly_totals} left for the end.
     */
    private Copied copyMembers(JsonGenerator g, Counting out, Set<String> drop, List<CallEntry> add, LedgerAudit audit,
                               CallIdFilter.Builder ids, LedgerFile.Sums sums, long[] splice, long[] count)
            throws IOException {
        Copied copied = Copied.MEMBERS;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(ledger), 1 << 16);
             JsonParser p = LedgerFile.JSON.getFactory().createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return Copied.NOTHING; // empty or null: an empty ledger
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("entries")) {
                    g.writeFieldName("entries");
                    writeRows(g, out, p, drop, add, audit, ids, sums, splice, count);
                    copied = Copied.ENTRIES;
                } else if (name.equals("monthly_totals")) {
                    p.skipChildren(); // recomputed, and written last
                } else {
                    g.writeFieldName(name);
                    LedgerFile.JSON.writeTree(g, LedgerFile.JSON.readTree(p));
                }
            }
        }
        return copied;
    }

    /**
     * The entries array: the file's rows (from {@code p}, positioned on its '[') but those dropped, then
     * the new ones. Every row is copied; only those the audit counts (countable, each call once) are summed.
     */
    private static void writeRows(JsonGenerator g, Counting out, JsonParser p, Set<String> drop, List<CallEntry> add,
                                  LedgerAudit audit, CallIdFilter.Builder ids, LedgerFile.Sums sums, long[] splice,
                                  long[] count) throws IOException {
        g.writeStartArray();
        splice[0] = position(g, out);
        if (p != null) {
            for (long index = 0; p.nextToken() != JsonToken.END_ARRAY; index++) {
                long line = p.currentTokenLocation().getLineNr();
                JsonNode e = LedgerFile.JSON.readTree(p);
                JsonNode id = e.get("call_id");
                String callId = id != null && id.isTextual() ? id.asText() : null;
                boolean counts = audit.counts(e, index, line);
                if (callId != null && drop.contains(callId)) continue;
                write(g, e, ids, counts ? sums : null, callId);
                splice[0] = e.isObject() ? position(g, out) : -1;
                count[0]++;
            }
        }
        for (CallEntry c : add) {
            write(g, LedgerFile.JSON.valueToTree(c), ids, sums, c.callId());
            splice[0] = position(g, out);
            count[0]++;
        }
        g.writeEndArray();
    }

    private static void write(JsonGenerator g, JsonNode e, CallIdFilter.Builder ids, LedgerFile.Sums sums, String callId)
            throws IOException {
        LedgerFile.JSON.writeTree(g, e);
        if (sums != null) sums.add(e);
        if (callId != null) ids.add(callId);
    }

    /** Bytes written so far, the generator's buffer included. */
    private static long position(JsonGenerator g, Counting out) {
        int buffered = g.getOutputBuffered();
        if (buffered < 0) throw new IllegalStateException("the JSON generator does not say what it holds");
        return out.count + buffered;
    }

    // --- the state ---------------------------------------------------------------------------------

    /**
     * The state, when it still describes the file; else null. Reads the whole file (its fingerprint
     * covers every byte), without parsing it: about 20 ms for 80 MB.
     */
    State valid() throws IOException {
        if (!Files.isRegularFile(ledger)) return null;
        if (checked != null && checked.stat().equals(stat())) return checked.state();
        checked = null;
        Path f = dir.resolve(STATE);
        if (!Files.isRegularFile(f)) return null;
        State st;
        try {
            st = SIDE.readValue(f.toFile(), State.class);
        } catch (IOException unreadable) {
            return null;
        }
        if (st == null || st.format() != FORMAT || st.sums() == null) return null;
        long length = Files.size(ledger);
        if (length != st.length() || st.prefix() < 0 || st.prefix() > length) return null;
        List<Object> before = stat();
        Fingerprint fp = fingerprint(st.prefix());
        if (fp.prefixCrc32c() != st.prefixCrc32c() || !fp.tailSha256().equals(st.tailSha256())) return null;
        if (before.equals(stat())) checked = new Checked(before, st, fp); // unchanged while it was read
        return st;
    }

    /** What tells, without reading it, that the file was not replaced or written since: length, modification time, inode. */
    private List<Object> stat() throws IOException {
        var a = Files.readAttributes(ledger, java.nio.file.attribute.BasicFileAttributes.class);
        return java.util.Arrays.asList(a.size(), a.lastModifiedTime(), a.fileKey());
    }

    /** What the state says of repeated rows (counted once), for the run to say again; empty when none or unknown. */
    List<String> repeats() throws IOException {
        State st = valid();
        if (st == null || st.repeats() == null || st.repeatCount() == 0) return List.of();
        List<String> out = new java.util.ArrayList<>(st.repeats());
        if (st.repeatCount() > out.size()) {
            out.add("and " + (st.repeatCount() - out.size()) + " more repeated rows (imagevision validate lists them)");
        }
        return out;
    }

    /**
     * Two streaming passes over the file: checks it, and writes the state and the id filter anew.
     * Rows are appended in place only to a file exactly as this tool writes it (a file formatted by
     * hand, or with stale totals, is rewritten whole once, as {@link LedgerFile#withCalls} would).
     */
    State rebuild() throws IOException {
        Pass1 first = pass1(Map.of(), new HashSet<>());
        Whole w;
        boolean same;
        refuseUncountable(first.audit()); // before the second pass: it would not change the verdict
        try (InputStream actual = new BufferedInputStream(Files.newInputStream(ledger), 1 << 16)) {
            Comparing cmp = new Comparing(actual);
            w = writeWhole(cmp, true, first, List.of(), Set.of());
            same = cmp.same() && actual.read() == -1;
        }
        refuseUncountable(first.audit()); // a call id with two different rows
        saveIds(w.ids());
        return saveState(same ? w.splice() : -1, w.entries(), w.sums(), first.audit(), null);
    }

    private void saveIds(CallIdFilter.Builder ids) throws IOException {
        Path f = dir.resolve(IDS);
        try {
            ids.writeTo(f);
        } catch (IOException e) {
            Files.deleteIfExists(f); // a filter that may miss ids is worse than none (it is rebuilt)
            throw new IOException("cannot write " + f + ": " + e.getMessage(), e);
        }
    }

    private State saveState(long splice, long entries, LedgerFile.Sums sums, LedgerAudit audit, Fingerprint fp)
            throws IOException {
        List<String> repeats = audit.repeats().stream().limit(REPEATS_KEPT).map(LedgerAudit.Finding::toString).toList();
        return saveState(splice, entries, sums, repeats, audit.repeatCount(), fp);
    }

    /** @param fp the file's fingerprint when the caller knows it; else it is read from the file */
    private State saveState(long splice, long entries, LedgerFile.Sums sums, List<String> repeats, long repeatCount,
                            Fingerprint fp) throws IOException {
        checked = null;
        List<Object> now = stat();
        long length = (Long) now.get(0);
        if (fp == null) fp = fingerprint(splice >= 0 ? splice : length);
        State st = new State(FORMAT, length, fp.prefix(), fp.prefixCrc32c(), fp.tailSha256(), splice, entries,
                sums.asText(), repeats == null ? List.of() : repeats, repeatCount);
        AtomicFiles.write(dir.resolve(STATE), SIDE.writeValueAsBytes(st));
        if (now.equals(stat())) checked = new Checked(now, st, fp);
        return st;
    }

    /** One sequential read of the file: the CRC-32C of its first {@code prefix} bytes, the SHA-256 of the rest. */
    private Fingerprint fingerprint(long prefix) throws IOException {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        MessageDigest tail = sha256();
        try (FileChannel ch = FileChannel.open(ledger, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocateDirect(1 << 20);
            long at = 0;
            while (ch.read(b) > 0) {
                b.flip();
                int n = b.remaining();
                int head = (int) Math.max(0, Math.min(n, prefix - at));
                if (head > 0) crc.update(b.slice(b.position(), head));
                b.position(b.position() + head);
                tail.update(b);
                at += n;
                b.clear();
            }
        }
        return new Fingerprint(prefix, crc.getValue(), HexFormat.of().formatHex(tail.digest()), crc);
    }

    // --- bytes -------------------------------------------------------------------------------------

    private static Map<String, CallEntry> byId(List<CallEntry> rows) {
        Map<String, CallEntry> m = new LinkedHashMap<>();
        for (CallEntry c : rows) m.putIfAbsent(c.callId(), c);
        return m;
    }

    static byte[] read(Path file, long from, long to) throws IOException {
        byte[] out = new byte[Math.toIntExact(to - from)];
        ByteBuffer b = ByteBuffer.wrap(out);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (b.hasRemaining()) {
                if (ch.read(b, from + b.position()) < 0) throw new IOException(file + " is shorter than expected");
            }
        }
        return out;
    }

    private static void writeFully(FileChannel ch, byte[] bytes, long at) throws IOException {
        writeFully(ch, bytes, 0, bytes.length, at);
    }

    /** {@code length} bytes of {@code bytes} from {@code from}, at {@code at} in the file. */
    private static void writeFully(FileChannel ch, byte[] bytes, int from, int length, long at) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes, from, length);
        while (b.hasRemaining()) ch.write(b, at + b.position() - from);
    }

    static String sha256(Path file, long from, long to) throws IOException {
        byte[] bytes = read(file, from, to);
        return sha256(bytes, 0, bytes.length);
    }

    private static String sha256(byte[] bytes, int from, int length) {
        MessageDigest d = sha256();
        d.update(bytes, from, length);
        return HexFormat.of().formatHex(d.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static int indexOf(byte[] a, byte b) {
        for (int i = 0; i < a.length; i++) if (a[i] == b) return i;
        return -1;
    }

    /** Compares what is written with a file's bytes, byte by byte, without keeping either. */
    private static final class Comparing extends OutputStream {
        private final InputStream expected;
        private boolean same = true;

        Comparing(InputStream expected) {
            this.expected = expected;
        }

        boolean same() {
            return same;
        }

        @Override
        public void write(int b) throws IOException {
            if (same && expected.read() != (b & 0xff)) same = false;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (!same) return;
            byte[] theirs = expected.readNBytes(len);
            if (theirs.length != len || !Arrays.equals(theirs, 0, len, b, off, off + len)) same = false;
        }
    }

    /** Counts what reaches the file (the generator buffers on its own). */
    private static final class Counting extends OutputStream {
        private final OutputStream out;
        long count;

        Counting(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
