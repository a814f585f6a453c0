package dev.imagevision.cache;

import dev.imagevision.site.Json;

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
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Scores on disk: {@code <cache>/scores/<key>.json}, one file per key, written atomically. A file
 * that does not parse, or whose key does not match its name, is a miss, never an error.
 *
 * <p>A judgement that was paid for but whose file cannot be written (a full disk, a blocked folder) is
 * appended to {@code <cache>/scores-set-aside.jsonl} before the error goes on: it is served from there
 * like a cached score, so no later run pays for it again, and a real run moves it to its own file
 * ({@link #restoreSetAside}) once the cache can be written.
 */
public final class ScoreCache {
    public static final String SET_ASIDE = "scores-set-aside.jsonl";

    private final Path dir;
    private final Path setAsideFile;
    /** The set-aside scores by key, read on first use; a torn or unreadable line is skipped. */
    private Map<String, ScoreRecord> setAside;

    public ScoreCache(Path cacheDir) {
        this.dir = cacheDir.resolve("scores");
        this.setAsideFile = cacheDir.resolve(SET_ASIDE);
    }

    Path fileFor(String key) {
        return dir.resolve(key.substring(0, 2)).resolve(key + ".json");
    }

    public Optional<ScoreRecord> get(String key) {
        Optional<ScoreRecord> own = own(key);
        ScoreRecord aside = setAside().get(key);
        return aside == null || own.isPresent() && later(own.get(), aside) ? own : Optional.of(aside);
    }

    /**
     * Whether {@code own} was judged after {@code aside}. A set-aside score exists because its own file
     * could not be written, so on a tie it is the newer one (a forced re-score of a cached image).
     */
    private static boolean later(ScoreRecord own, ScoreRecord aside) {
        return own.scoredAt() != null && aside.scoredAt() != null && own.scoredAt().compareTo(aside.scoredAt()) > 0;
    }

    private Optional<ScoreRecord> own(String key) {
        Path f = fileFor(key);
        if (!Files.isRegularFile(f)) return Optional.empty();
        try {
            ScoreRecord r = Json.LENIENT.readValue(f.toFile(), ScoreRecord.class);
            if (r == null || !key.equals(r.key())) return Optional.empty();
            return Optional.of(r);
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // half-written or foreign file: a miss
        }
    }

    /** Every readable record in the cache, set-aside ones included, in no particular order. Read only. */
    public List<ScoreRecord> all() throws IOException {
        List<ScoreRecord> out = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.walk(dir, 2)) {
                for (Path f : (Iterable<Path>) files.filter(p -> p.getFileName().toString().endsWith(".json"))::iterator) {
                    String key = f.getFileName().toString().replaceFirst("\\.json$", "");
                    if (key.length() >= 2 && Files.isRegularFile(f)) own(key).ifPresent(r -> {
                        out.add(r);
                        keys.add(r.key());
                    });
                }
            }
        }
        for (ScoreRecord r : setAside().values()) if (keys.add(r.key())) out.add(r);
        return out;
    }

    /**
     * Writes the record to its own file. When that fails, a successful judgement is first set aside
     * (appended and forced to disk) so that what was paid for is not paid for again; the error is
     * thrown either way, saying whether it was set aside.
     */
    public void put(ScoreRecord record) throws IOException {
        try {
            AtomicFiles.write(fileFor(record.key()), Json.STABLE.writeValueAsBytes(record));
        } catch (IOException e) {
            if (record.failed()) throw e;
            try {
                appendSetAside(record);
            } catch (IOException again) {
                e.addSuppressed(again);
                throw e;
            }
            throw new IOException(e.getMessage() + "; the judgement of " + record.path() + " is kept in " + setAsideFile
                    + " and served from there, so it is not paid for again", e);
        }
    }

    private synchronized void appendSetAside(ScoreRecord record) throws IOException {
        byte[] line = (Json.LEDGER_LINES.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(setAsideFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            if (ch.size() > 0) ch.write(ByteBuffer.wrap(new byte[] {'\n'})); // a line torn before must not swallow this one
            ByteBuffer buf = ByteBuffer.wrap(line);
            while (buf.hasRemaining()) ch.write(buf);
            ch.force(false);
        }
        setAside().put(record.key(), record);
    }

    private synchronized Map<String, ScoreRecord> setAside() {
        if (setAside == null) setAside = readSetAside(setAsideFile);
        return setAside;
    }

    private static Map<String, ScoreRecord> readSetAside(Path file) {
        Map<String, ScoreRecord> out = new LinkedHashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            return out; // unreadable: nothing set aside can be served; the images are judged again
        }
        for (String line : lines) {
            if (line.isBlank()) continue;
            try {
                ScoreRecord r = Json.LENIENT.readValue(line, ScoreRecord.class);
                if (r != null && r.key() != null && !r.failed()) out.put(r.key(), r); // a later line wins
            } catch (IOException | RuntimeException torn) {
                // a kill mid-append leaves half a line
            }
        }
        return out;
    }

    /**
     * Moves set-aside scores to their own files (unless a file holds a later judgement of the key) and
     * removes the set-aside file once every one is moved. Returns how many were moved; what cannot be
     * written stays set aside and is still served.
     */
    public synchronized int restoreSetAside() {
        Map<String, ScoreRecord> aside = setAside();
        if (aside.isEmpty()) return 0;
        int moved = 0;
        for (var it = aside.values().iterator(); it.hasNext(); ) {
            ScoreRecord r = it.next();
            try {
                Optional<ScoreRecord> own = own(r.key());
                if (own.isEmpty() || !later(own.get(), r)) {
                    AtomicFiles.write(fileFor(r.key()), Json.STABLE.writeValueAsBytes(r));
                    moved++;
                }
                it.remove();
            } catch (IOException e) {
                return moved; // the cache still cannot be written: the rest stay set aside
            }
        }
        try {
            Files.deleteIfExists(setAsideFile);
        } catch (IOException e) {
            // every score is in its own file now; the leftover lines are served only where no file is
        }
        return moved;
    }
}
