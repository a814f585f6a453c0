package dev.imagevision.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The paid-call journal: one JSON line per event, appended and forced to disk before the program
 * acts on it. Three kinds of line:
 * <ul>
 *   <li>{@code {"sent": id, …ceiling}}: a request is about to leave (written before it is sent);</li>
 *   <li>a {@link CallEntry} with {@code "request_id"}: its reply arrived, with the billed usage
 *       (written before the reply is used);</li>
 *   <li>{@code {"unbilled": id}}: the API answered with an error, which it does not bill;</li>
 *   <li>{@code {"unconfirmed": id, "why": …}}: the request may have been billed but no usage that can be
 *       trusted came back (a broken connection, a timeout, a reply that cannot be read or claims
 *       impossible usage); it says why, and leaves the {@code sent} line to charge the ceiling.</li>
 * </ul>
 * A fifth kind, {@code {"kept_judgement": {…}}}, is no charge: a paid judgement whose score file could
 * not be written, kept here (the one file the reply has already reached) until a run restores it to
 * the score cache; a fold keeps these lines.
 * A request with a {@code sent} line and neither of the others is charged its ceiling when the
 * journal is folded. It is the one file not written through {@code AtomicFiles}: an append of a
 * whole line plus fsync is the crash-safe step here, and a line torn by a kill mid-append is the
 * last one and is skipped when read (a torn {@code sent} line was never sent; a torn reply line
 * leaves its {@code sent} line, so the call is charged its ceiling).
 */
final class Journal implements AutoCloseable {
    static final ObjectMapper LINES = dev.imagevision.site.Json.LEDGER_LINES;

    private final Path file;
    private FileChannel channel;

    Journal(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    void sent(SentCall call) throws IOException {
        append(LINES.valueToTree(call));
    }

    /** @param requestId the {@link SentCall} it answers, or null when none was journaled (a batch result) */
    void paid(CallEntry entry, String requestId) throws IOException {
        ObjectNode line = LINES.valueToTree(entry);
        if (requestId != null) line.put("request_id", requestId);
        append(line);
    }

    static final String KEPT = "kept_judgement";

    void kept(JsonNode judgement) throws IOException {
        ObjectNode line = LINES.createObjectNode();
        line.set(KEPT, judgement);
        append(line);
    }

    /** The kept judgements, in the order they were written (nothing when the journal does not exist). */
    static List<JsonNode> kept(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : lines(file)) {
            JsonNode node = keptLine(line);
            if (node != null) out.add(node.get(KEPT));
        }
        return out;
    }

    /** The line as a kept judgement, or null (another kind, or torn). */
    private static JsonNode keptLine(String line) {
        if (!line.contains(KEPT)) return null;
        try {
            JsonNode node = LINES.readTree(line);
            return node != null && node.isObject() && node.hasNonNull(KEPT) ? node : null;
        } catch (IOException torn) {
            return null;
        }
    }

    private static List<String> lines(Path file) throws IOException {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    /**
     * Rewrites the journal with only the lines {@code keep} accepts (whole lines, through a temporary file
     * and a rename); deletes it when none is left. Only while no run writes to it.
     */
    static void rewrite(Path file, java.util.function.Predicate<String> keep) throws IOException {
        StringBuilder kept = new StringBuilder();
        for (String line : lines(file)) if (!line.isBlank() && keep.test(line)) kept.append(line).append('\n');
        if (kept.isEmpty()) {
            Files.deleteIfExists(file);
            return;
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".rewrite.tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(kept.toString().getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) ch.write(buf);
            ch.force(false);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Whether the line is a kept judgement. */
    static boolean isKept(String line) {
        return keptLine(line) != null;
    }

    void unbilled(String requestId) throws IOException {
        append(LINES.createObjectNode().put("unbilled", requestId));
    }

    void unconfirmed(String requestId, String why) throws IOException {
        append(LINES.createObjectNode().put("unconfirmed", requestId).put("why", why));
    }

    private synchronized void append(JsonNode node) throws IOException {
        byte[] line = (LINES.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            if (channel == null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                // not APPEND (it cannot be combined with READ): one writer at a time, positioned at the end
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
                channel.position(channel.size());
                terminateTornLine(channel);
            }
            ByteBuffer buf = ByteBuffer.wrap(line);
            while (buf.hasRemaining()) channel.write(buf);
            channel.force(false);
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close(); // the next append reopens it and ends a line this one may have torn
                } catch (IOException ignored) {
                    // already failing
                }
                channel = null;
            }
            throw new IOException("cannot append to the cost ledger journal " + file + ": " + e.getMessage(), e);
        }
    }

    /** A torn last line must not swallow the next one. */
    private static void terminateTornLine(FileChannel ch) throws IOException {
        long size = ch.size();
        if (size == 0) return;
        ByteBuffer last = ByteBuffer.allocate(1);
        ch.read(last, size - 1);
        if (last.get(0) != '\n') ch.write(ByteBuffer.wrap(new byte[] {'\n'}));
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    /**
     * What a journal charges, in the order it was written.
     *
     * @param calls     the replies, and the requests that never had one (charged their ceiling)
     * @param confirmed request ids that have a reply here: an earlier fold may have charged them
     *                  their ceiling (the reply was journaled after that fold); the reply replaces it
     */
    record Charges(List<CallEntry> calls, Set<String> confirmed) {
        boolean isEmpty() {
            return calls.isEmpty() && confirmed.isEmpty();
        }
    }

    /** Reads the journal (nothing when it does not exist); a torn or unreadable line is skipped. */
    static Charges read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new Charges(List.of(), Set.of());
        }
        // a sent line holds its place until its reply (if any) takes it
        Map<Object, CallEntry> ordered = new LinkedHashMap<>();
        Map<String, SentCall> open = new LinkedHashMap<>();
        Set<String> confirmed = new HashSet<>();
        Set<String> unbilled = new HashSet<>();
        int n = 0;
        for (String line : lines) {
            if (line.isBlank()) continue;
            JsonNode node;
            try {
                node = LINES.readTree(line);
            } catch (IOException torn) {
                continue; // a kill mid-append leaves half a line
            }
            if (node == null || !node.isObject()) continue;
            try {
                if (node.hasNonNull("sent")) {
                    SentCall s = LINES.treeToValue(node, SentCall.class);
                    open.put(s.requestId(), s);
                    ordered.put("sent\u0000" + s.requestId(), null);
                } else if (node.hasNonNull("unbilled")) {
                    unbilled.add(node.get("unbilled").asText());
                } else if (node.hasNonNull("unconfirmed")) {
                    continue; // its sent line stays open and charges the ceiling
                } else if (node.hasNonNull("call_id")) {
                    String requestId = node.hasNonNull("request_id") ? node.get("request_id").asText() : null;
                    ((ObjectNode) node).remove("request_id");
                    CallEntry e = LINES.treeToValue(node, CallEntry.class);
                    if (requestId != null) {
                        confirmed.add(requestId);
                        ordered.put("sent\u0000" + requestId, e); // in the place of its request
                    } else {
                        ordered.put(n++, e);
                    }
                }
            } catch (IOException | RuntimeException unreadable) {
                // a line this version cannot read is skipped, as a torn one is
            }
        }
        List<CallEntry> calls = new ArrayList<>();
        for (Map.Entry<Object, CallEntry> e : ordered.entrySet()) {
            if (e.getValue() != null) {
                calls.add(e.getValue());
            } else {
                String requestId = ((String) e.getKey()).substring("sent\u0000".length());
                if (!unbilled.contains(requestId)) calls.add(open.get(requestId).unconfirmed());
            }
        }
        return new Charges(calls, confirmed);
    }
}
