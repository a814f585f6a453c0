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
 *       {@code monthly_totals}, and a fingerprint of the file (length, modification time, a hash of
 *       its last 64 KiB). When the fingerprint no longer matches (a pull, a merge, a hand edit), it is
 *       rebuilt in one streaming pass;</li>
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
    /** How much of the file's end its fingerprint hashes. */
    static final int TAIL_WINDOW = 64 << 10;
    private static final int FORMAT = 1;
    /** Room for this many new ids beyond twice the rows, before the id filter is rebuilt larger. */
    private static final long MIN_IDS = 4_096;
    private static final ObjectMapper SIDE = dev.imagevision.site.Json.LEDGER; // exact decimals, like the ledger

    /** What the sidecar knows of the ledger file as this tool last wrote or read it. */
    record State(@JsonProperty("format") int format,
                 @JsonProperty("length") long length,
                 @JsonProperty("modified") String modified,
                 @JsonProperty("tail_sha256") String tailSha256,
                 @JsonProperty("splice") long splice,
                 @JsonProperty("entries") long entries,
                 @JsonProperty("sums") Map<String, Map<String, String>> sums) {}

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
        saveState(newSplice, st.entries() + rows.size(), sums);
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
        Pass1 first = exists ? pass1(fresh, present) : new Pass1(null, 0);
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
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            if (e instanceof IOException) {
                throw new IOException("cannot write " + ledger + ": " + e.getMessage() + " (the ledger is as it was)", e);
            }
            throw e;
        }
        if (exists && Files.mismatch(tmp, ledger) == -1) { // nothing changed: a warm run rewrites nothing
            Files.delete(tmp);
            saveIds(w.ids());
            saveState(w.splice(), w.entries(), w.sums());
            return false;
        }
        Files.deleteIfExists(dir.resolve(STATE)); // describes the old file: a crash after the rename rebuilds it
        try {
            Files.move(tmp, ledger, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, ledger, StandardCopyOption.REPLACE_EXISTING);
        }
        saveIds(w.ids());
        saveState(w.splice(), w.entries(), w.sums());
        return true;
    }

    /** What a first, read-only pass found: the old {@code monthly_totals} and how many rows there are. */
    private record Pass1(JsonNode previousTotals, long rows) {}

    /** The temporary file a whole rewrite goes to, beside the ledger so the rename stays on one file system. */
    private Path rewriteFile() {
        return ledger.resolveSibling("." + ledger.getFileName() + ".rewrite.tmp");
    }

    /** Checks the file (errors name it), notes the rows of {@code fresh} it already holds. */
    private Pass1 pass1(Map<String, CallEntry> fresh, Set<String> present) throws IOException {
        JsonNode[] previousTotals = {null};
        long[] rows = {0};
        LedgerFile.scan(ledger, new LedgerFile.Visitor() {
            @Override
            public void entry(JsonNode e, long end) {
                rows[0]++;
                JsonNode id = e.get("call_id");
                if (id != null && id.isTextual() && fresh.containsKey(id.asText())) present.add(id.asText());
            }

            @Override
            public void member(String name, JsonNode value) {
                if (name.equals("monthly_totals")) previousTotals[0] = value;
            }
        });
        return new Pass1(previousTotals[0], rows[0]);
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
            Copied copied = exists ? copyMembers(g, out, drop, add, ids, sums, splice, count) : Copied.NOTHING;
            if (copied != Copied.ENTRIES) {
                if (copied == Copied.NOTHING) g.writeStringField("version", "1.0"); // a new (or empty) ledger
                g.writeFieldName("entries");
                writeRows(g, out, null, drop, add, ids, sums, splice, count);
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
    private Copied copyMembers(JsonGenerator g, Counting out, Set<String> drop, List<CallEntry> add,
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
                    writeRows(g, out, p, drop, add, ids, sums, splice, count);
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

    /** The entries array: the file's rows (from {@code p}, positioned on its '[') but those dropped, then the new ones. */
    private static void writeRows(JsonGenerator g, Counting out, JsonParser p, Set<String> drop, List<CallEntry> add,
                                  CallIdFilter.Builder ids, LedgerFile.Sums sums, long[] splice, long[] count)
            throws IOException {
        g.writeStartArray();
        splice[0] = position(g, out);
        if (p != null) {
            while (p.nextToken() != JsonToken.END_ARRAY) {
                JsonNode e = LedgerFile.JSON.readTree(p);
                JsonNode id = e.get("call_id");
                String callId = id != null && id.isTextual() ? id.asText() : null;
                if (callId != null && drop.contains(callId)) continue;
                write(g, e, ids, sums, callId);
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
        sums.add(e);
        if (callId != null) ids.add(callId);
    }

    /** Bytes written so far, the generator's buffer included. */
    private static long position(JsonGenerator g, Counting out) {
        int buffered = g.getOutputBuffered();
        if (buffered < 0) throw new IllegalStateException("the JSON generator does not say what it holds");
        return out.count + buffered;
    }

    // --- the state ---------------------------------------------------------------------------------

    /** The state, when it still describes the file; else null. */
    State valid() throws IOException {
        Path f = dir.resolve(STATE);
        if (!Files.isRegularFile(f) || !Files.isRegularFile(ledger)) return null;
        State st;
        try {
            st = SIDE.readValue(f.toFile(), State.class);
        } catch (IOException unreadable) {
            return null;
        }
        if (st == null || st.format() != FORMAT) return null;
        long length = Files.size(ledger);
        if (length != st.length() || !Files.getLastModifiedTime(ledger).toString().equals(st.modified())) return null;
        return tailHash(length).equals(st.tailSha256()) ? st : null;
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
        try (InputStream actual = new BufferedInputStream(Files.newInputStream(ledger), 1 << 16)) {
            Comparing cmp = new Comparing(actual);
            w = writeWhole(cmp, true, first, List.of(), Set.of());
            same = cmp.same() && actual.read() == -1;
        }
        saveIds(w.ids());
        return saveState(same ? w.splice() : -1, w.entries(), w.sums());
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

    private State saveState(long splice, long entries, LedgerFile.Sums sums) throws IOException {
        long length = Files.size(ledger);
        State st = new State(FORMAT, length, Files.getLastModifiedTime(ledger).toString(), tailHash(length), splice,
                entries, sums.asText());
        AtomicFiles.write(dir.resolve(STATE), SIDE.writeValueAsBytes(st));
        return st;
    }

    private String tailHash(long length) throws IOException {
        return sha256(ledger, Math.max(0, length - TAIL_WINDOW), length);
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
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(read(file, from, to));
            return HexFormat.of().formatHex(d.digest());
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
