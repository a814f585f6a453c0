package dev.imagevision.cache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Cut variants on disk: {@code <cache>/variants/<key>.jpg}. A file that is not a complete JPEG
 * (no start or end marker: a torn write from some other tool) is a miss.
 */
public final class VariantCache {
    private final Path dir;

    public VariantCache(Path cacheDir) {
        this.dir = cacheDir.resolve("variants");
    }

    Path fileFor(String key) {
        return dir.resolve(key.substring(0, 2)).resolve(key + ".jpg");
    }

    public Optional<byte[]> get(String key) {
        Path f = fileFor(key);
        if (!Files.isRegularFile(f)) return Optional.empty();
        try {
            byte[] b = Files.readAllBytes(f);
            return completeJpeg(b) ? Optional.of(b) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public void put(String key, byte[] jpeg) throws IOException {
        AtomicFiles.write(fileFor(key), jpeg);
    }

    static boolean completeJpeg(byte[] b) {
        int n = b.length;
        return n > 4 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[n - 2] & 0xFF) == 0xFF && (b[n - 1] & 0xFF) == 0xD9;
    }
}
