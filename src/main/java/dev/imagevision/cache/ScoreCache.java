package dev.imagevision.cache;

import dev.imagevision.site.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Scores on disk: {@code <cache>/scores/<key>.json}, one file per key, written atomically. A file
 * that does not parse, or whose key does not match its name, is a miss, never an error.
 */
public final class ScoreCache {

    private final Path dir;

    public ScoreCache(Path cacheDir) {
        this.dir = cacheDir.resolve("scores");
    }

    Path fileFor(String key) {
        return dir.resolve(key.substring(0, 2)).resolve(key + ".json");
    }

    public Optional<ScoreRecord> get(String key) {
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

    /** Every readable record in the cache, in no particular order (a miss-worthy file is skipped). Read only. */
    public List<ScoreRecord> all() throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        List<ScoreRecord> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir, 2)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.getFileName().toString().endsWith(".json"))::iterator) {
                String key = f.getFileName().toString().replaceFirst("\\.json$", "");
                if (key.length() >= 2 && Files.isRegularFile(f)) get(key).ifPresent(out::add);
            }
        }
        return out;
    }

    public void put(ScoreRecord record) throws IOException {
        AtomicFiles.write(fileFor(record.key()), Json.STABLE.writeValueAsBytes(record));
    }
}
