package dev.imagevision.ledger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The throw-away site folder the ledger tests write in: where its ledger and cache go, and its removal. */
final class LedgerDirs {
    private LedgerDirs() {}

    static Path make(String prefix) throws IOException {
        return Files.createTempDirectory(prefix);
    }

    static void remove(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    static Path ledger(Path dir) {
        return dir.resolve("static/data/image-vision-cost-ledger.json");
    }

    static Path cache(Path dir) {
        return dir.resolve(".image-cache");
    }
}
