package dev.imagevision.spark;

import dev.imagevision.site.SiteConfig;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The site's small files — config, provenance, missions index, manifest, curation file, cost ledger —
 * as bytes: read from the store once by the driver and handed to every executor (a broadcast), where
 * they are laid out in a local folder so the core reads them as it does in the CLI. The images are
 * never among them; the API key ({@code .env.local}) is not either: executors take it from their
 * environment, so it is never shipped over the cluster's network.
 */
public record SiteFiles(Map<String, byte[]> files) implements Serializable {

    public SiteFiles {
        files = new TreeMap<>(files);
    }

    /** Reads the config, then every file it names that exists. */
    public static SiteFiles pull(SiteStore store) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        store.read(SiteConfig.FILE_NAME).ifPresent(b -> out.put(SiteConfig.FILE_NAME, b));
        Path scratch = Files.createTempDirectory("imagevision-config");
        try {
            if (out.containsKey(SiteConfig.FILE_NAME)) Files.write(scratch.resolve(SiteConfig.FILE_NAME), out.get(SiteConfig.FILE_NAME));
            SiteConfig.Paths p = SiteConfig.load(scratch).paths();
            for (String f : new String[] {p.provenance(), p.missions(), p.manifest(), p.curation(), p.ledger()}) {
                store.read(f).ifPresent(b -> out.put(f, b));
            }
        } finally {
            deleteTree(scratch);
        }
        return new SiteFiles(out);
    }

    public Optional<byte[]> get(String relative) {
        return Optional.ofNullable(files.get(relative));
    }

    /** Lays the files out under {@code dir} (which then looks like the site without its images). */
    public Path materialize(Path dir) throws IOException {
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Path f = dir.resolve(e.getKey()).normalize();
            if (!f.startsWith(dir)) throw new IOException("a configured path leaves the site: " + e.getKey());
            Files.createDirectories(f.getParent());
            Files.write(f, e.getValue());
        }
        Files.createDirectories(dir.resolve(SiteConfig.load(dir).paths().staticDir()));
        return dir;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
        }
    }
}
