package dev.imagevision.spark;

import dev.imagevision.cache.ScoreRecord;
import dev.imagevision.site.Json;

import java.io.IOException;
import java.util.Optional;

/**
 * The score cache in the site's store: the same {@code <cache>/scores/<k2>/<key>.json} records, in
 * the same bytes, as the CLI's {@code ScoreCache}, so either engine serves the other's scores.
 */
final class ScoreStore {
    private ScoreStore() {}

    static String entry(String cacheDir, String key) {
        return cacheDir + "/scores/" + key.substring(0, 2) + "/" + key + ".json";
    }

    /** The record under {@code key}, or null: a file that does not parse or names another key is a miss. */
    static ScoreRecord get(SiteStore store, String cacheDir, String key) throws IOException {
        Optional<byte[]> b = store.read(entry(cacheDir, key));
        if (b.isEmpty()) return null;
        try {
            ScoreRecord r = Json.LENIENT.readValue(b.get(), ScoreRecord.class);
            return r != null && key.equals(r.key()) ? r : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Publishes a record (a re-score replaces the one before it, as in the CLI). */
    static void put(SiteStore store, String cacheDir, ScoreRecord record) throws IOException {
        store.write(entry(cacheDir, record.key()), Json.STABLE.writeValueAsBytes(record));
    }
}
