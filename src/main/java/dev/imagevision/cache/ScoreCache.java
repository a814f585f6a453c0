package dev.imagevision.cache;

import dev.imagevision.site.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Scores on disk: {@code <cache>/scores/<key>.json}, one file per key, written atomically. A file
 * that does not parse, or whose key does not match its name, is a miss, never an error.
 *
 * <p>Paid judgements an earlier run could not write here (a full disk, a blocked folder) wait in the
 * cost ledger's journal; a run hands them to {@link #restore} (or, on a dry run, {@link #serve})
 * before it decides what to call, so they are never paid for again.
 */
public final class ScoreCache {
    private final Path dir;
    /** Judgements served from memory: restored ones this cache could not write, or a dry run's. */
    private final Map<String, ScoreRecord> served = new ConcurrentHashMap<>();

    public ScoreCache(Path cacheDir) {
        this.dir = cacheDir.resolve("scores");
    }

    /** Only ever a score key (64 hex digits): anything else could name a path outside the cache. */
    Path fileFor(String key) {
        if (key == null || !SCORE_KEY.matcher(key).matches()) throw new IllegalArgumentException("not a score key: " + key);
        return dir.resolve(key.substring(0, 2)).resolve(key + ".json");
    }

    public Optional<ScoreRecord> get(String key) {
        Optional<ScoreRecord> own = own(key);
        ScoreRecord kept = served.isEmpty() ? null : served.get(key);
        return kept == null || own.isPresent() && later(own.get(), kept) ? own : Optional.of(kept);
    }

    /**
     * Whether {@code own} was judged after {@code kept}. A kept judgement exists because its file could
     * not be written, so on a tie it is the newer one (a forced re-score of a cached image).
     */
    private static boolean later(ScoreRecord own, ScoreRecord kept) {
        return own.scoredAt() != null && kept.scoredAt() != null && own.scoredAt().compareTo(kept.scoredAt()) > 0;
    }

    private Optional<ScoreRecord> own(String key) {
        if (key == null || !SCORE_KEY.matcher(key).matches()) return Optional.empty();
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

    /** Every readable record in the cache, served ones included, in no particular order. Read only. */
    public List<ScoreRecord> all() throws IOException {
        List<ScoreRecord> out = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.walk(dir, 2)) {
                for (Path f : (Iterable<Path>) files.filter(p -> p.getFileName().toString().endsWith(".json"))::iterator) {
                    String key = f.getFileName().toString().replaceFirst("\\.json$", "");
                    if (key.length() >= 2 && Files.isRegularFile(f)) get(key).ifPresent(r -> {
                        out.add(r);
                        keys.add(r.key());
                    });
                }
            }
        }
        for (ScoreRecord r : served.values()) if (keys.add(r.key())) out.add(r);
        return out;
    }

    public void put(ScoreRecord record) throws IOException {
        AtomicFiles.write(fileFor(record.key()), Json.STABLE.writeValueAsBytes(record));
        served.remove(record.key());
    }

    /**
     * Whether a record kept outside the cache can be trusted as the judgement of its key: a usable
     * judgement whose key is the score key of the bytes, provider, model and prompt it names. Anything
     * else (an edited or merged line) is never used as a file name nor served to another image.
     */
    public static boolean consistent(ScoreRecord r) {
        return r != null && r.usable() && r.key() != null && SCORE_KEY.matcher(r.key()).matches() && r.sourceSha256() != null
                && r.key().equals(CacheKeys.score(r.sourceSha256(), r.provider(), r.model(), r.promptVersion()));
    }

    private static final java.util.regex.Pattern SCORE_KEY = java.util.regex.Pattern.compile("[0-9a-f]{64}");

    /** Serves these judgements as if cached, without writing anything (where no later file holds the key). */
    public void serve(Collection<ScoreRecord> judgements) {
        for (ScoreRecord r : judgements) if (consistent(r)) served.merge(r.key(), r, (a, b) -> later(a, b) ? a : b);
    }

    /**
     * Writes kept judgements to their files, unless a file holds a later judgement of the key. Returns
     * those it could not write, which it serves from memory for this run.
     */
    public List<ScoreRecord> restore(List<ScoreRecord> judgements) {
        List<ScoreRecord> left = new ArrayList<>();
        for (ScoreRecord r : judgements) {
            if (!consistent(r)) continue;
            Optional<ScoreRecord> own = own(r.key());
            if (own.isPresent() && later(own.get(), r)) continue;
            try {
                AtomicFiles.write(fileFor(r.key()), Json.STABLE.writeValueAsBytes(r));
            } catch (IOException e) {
                left.add(r);
            }
        }
        serve(left);
        return left;
    }
}
