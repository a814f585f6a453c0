package dev.imagevision.curation;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagevision.cache.AtomicFiles;
import dev.imagevision.site.ImagePath;
import dev.imagevision.site.Json;
import dev.imagevision.site.SiteFileException;
import dev.imagevision.site.SiteRoot;
import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.SubjectBox;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Every change to the curation file: flag, unflag, and the review page's focal-point and
 * subject-box overrides. Each change is a read-modify-write of the whole file under an operating
 * system lock on a sibling {@code .<name>.lock} file, so the review server and {@code imagevision
 * flag} running at once never lose each other's rows; the new file lands atomically. The file is
 * human-edited and committed, so it is edited as a JSON tree: rows, fields and order this tool does
 * not know survive, and a new row goes at the end.
 */
public final class CurationStore {
    /** A reason is one line an editor types; longer text is a paste accident. */
    public static final int MAX_REASON = 500;
    static final DateTimeFormatter FLAGGED_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Duration LOCK_PATIENCE = Duration.ofSeconds(30);

    private static final ObjectMapper WRITER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .defaultPrettyPrinter(new DefaultPrettyPrinter(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                    .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                    .withArrayIndenter(new DefaultIndenter("  ", "\n")))
            .build();

    private final Path file;
    private final Path lockFile;

    public CurationStore(Path file) {
        this.file = file.toAbsolutePath().normalize();
        this.lockFile = this.file.resolveSibling("." + this.file.getFileName() + ".lock");
    }

    public Path file() {
        return file;
    }

    public Curation read() {
        return CurationFile.read(file);
    }

    /**
     * Puts {@code path} on the deny-list with {@code reason} (re-flagging replaces the reason and
     * date; overrides on the row are kept).
     */
    public synchronized Curation flag(String path, String reason, Instant at) throws IOException {
        String p = checkedPath(path);
        String r = checkedReason(reason);
        return change(entries -> {
            ObjectNode row = lastRow(entries, p).orElseGet(() -> appendRow(entries, p));
            row.put("reason", r);
            row.put("flaggedAt", FLAGGED_AT.format(at));
        });
    }

    /** Takes {@code path} off the deny-list; its overrides stay. Unflagging an image that is not flagged changes nothing. */
    public synchronized Curation unflag(String path) throws IOException {
        String p = checkedPath(path);
        return change(entries -> {
            for (JsonNode n : entries) {
                if (n instanceof ObjectNode row && p.equals(row.path("path").asText(null))) {
                    row.remove("reason");
                    row.remove("flaggedAt");
                }
            }
            dropEmptyRows(entries, p);
        });
    }

    /**
     * Sets the editor's focal point and subject box for {@code path}; a null clears that override.
     * The next {@code score} run re-crops from them without asking a provider.
     */
    public synchronized Curation setOverride(String path, FocalPoint focalPoint, SubjectBox subjectBox) throws IOException {
        String p = checkedPath(path);
        return change(entries -> {
            ObjectNode row = lastRow(entries, p).orElse(null);
            if (row == null) {
                if (focalPoint == null && subjectBox == null) return;
                row = appendRow(entries, p);
            }
            if (focalPoint == null) {
                row.remove("focal_point");
            } else {
                FocalPoint f = FocalPoint.of(focalPoint.x(), focalPoint.y());
                ObjectNode n = row.putObject("focal_point");
                n.put("x", plain(f.x()));
                n.put("y", plain(f.y()));
            }
            if (subjectBox == null) {
                row.remove("subject_box");
            } else {
                SubjectBox b = SubjectBox.of(subjectBox.x(), subjectBox.y(), subjectBox.w(), subjectBox.h());
                ObjectNode n = row.putObject("subject_box");
                n.put("x", plain(b.x()));
                n.put("y", plain(b.y()));
                n.put("w", plain(b.w()));
                n.put("h", plain(b.h()));
            }
            dropEmptyRows(entries, p);
        });
    }

    /** The provenance path the way every file writes it, or an error saying what is wrong with it. */
    public static String checkedPath(String raw) {
        if (raw == null || raw.isBlank()) throw new IllegalArgumentException("the image path is empty");
        String p = ImagePath.normalise(raw);
        Optional<String> unsafe = SiteRoot.unsafeReason(p);
        if (unsafe.isPresent()) throw new IllegalArgumentException("refused image path " + p + ": " + unsafe.get());
        return p;
    }

    /** A reason collapsed to one line; empty or over {@value #MAX_REASON} characters is an error. */
    public static String checkedReason(String raw) {
        String r = raw == null ? "" : raw.strip().replaceAll("\\s+", " ");
        if (r.isEmpty()) throw new IllegalArgumentException("the reason is empty; say in one line what is wrong with the image");
        if (r.length() > MAX_REASON) {
            throw new IllegalArgumentException("the reason is " + r.length() + " characters; keep it under " + MAX_REASON);
        }
        return r;
    }

    private Curation change(Consumer<ArrayNode> edit) throws IOException {
        Files.createDirectories(file.getParent());
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lock(ch)) {
            ObjectNode root = readTree();
            ArrayNode entries = (ArrayNode) root.get("entries");
            edit.accept(entries);
            byte[] bytes = (WRITER.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
            Curation next = Json.convert(file, root, Json.LENIENT, Curation.class);
            AtomicFiles.writeIfChanged(file, bytes);
            return next;
        }
    }

    /**
     * The OS lock keeps other processes out. Inside one JVM the OS lock cannot be taken twice, so a
     * second store on the same file waits its turn here instead of failing.
     */
    private FileLock lock(FileChannel ch) throws IOException {
        long deadline = System.nanoTime() + LOCK_PATIENCE.toNanos();
        while (true) {
            try {
                return ch.lock();
            } catch (OverlappingFileLockException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("the curation file " + file + " stayed locked for " + LOCK_PATIENCE.toSeconds()
                            + " s by another writer in this process; try again");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            }
        }
    }

    private ObjectNode readTree() {
        if (!Files.exists(file)) {
            ObjectNode root = JsonNodeFactory.instance.objectNode();
            root.put("version", "1.0");
            root.putArray("entries");
            return root;
        }
        JsonNode tree = Json.readTree(file);
        if (!(tree instanceof ObjectNode root)) {
            throw new SiteFileException(file, "expected an object {version, entries: [...]}; fix the file by hand, nothing was written");
        }
        JsonNode entries = root.get("entries");
        if (entries == null || entries.isNull()) {
            root.putArray("entries");
        } else if (!entries.isArray()) {
            throw new SiteFileException(file, "\"entries\" must be an array; fix the file by hand, nothing was written");
        }
        return root;
    }

    private static Optional<ObjectNode> lastRow(ArrayNode entries, String path) {
        ObjectNode found = null;
        for (JsonNode n : entries) {
            if (n instanceof ObjectNode row && path.equals(row.path("path").asText(null))) found = row;
        }
        return Optional.ofNullable(found);
    }

    private static ObjectNode appendRow(ArrayNode entries, String path) {
        ObjectNode row = entries.addObject();
        row.put("path", path);
        return row;
    }

    /** A row left with nothing but its path says nothing; it goes. */
    private static void dropEmptyRows(ArrayNode entries, String path) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            JsonNode n = entries.get(i);
            if (n instanceof ObjectNode row && path.equals(row.path("path").asText(null)) && row.size() == 1) {
                entries.remove(i);
            }
        }
    }

    private static BigDecimal plain(double v) {
        BigDecimal d = BigDecimal.valueOf(v).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0) : d;
    }
}
