package dev.imagevision.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.TreeMap;

/** Copies of the bundled sample site for tests, and byte snapshots of what a run wrote. */
public final class SampleSite {
    private SampleSite() {}

    /** The repository's sample-site folder (tests run from the project root). */
    public static Path source() {
        Path p = Path.of("sample-site").toAbsolutePath();
        if (!Files.isDirectory(p)) throw new IllegalStateException("sample-site/ not found from " + Path.of("").toAbsolutePath());
        return p;
    }

    /** A fresh copy of the sample site under {@code dir}. */
    public static Path copyTo(Path dir) {
        Path from = source();
        try {
            Files.walkFileTree(from, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    if (d.getFileName().toString().equals(".image-cache")) return FileVisitResult.SKIP_SUBTREE;
                    Files.createDirectories(dir.resolve(from.relativize(d).toString()));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    Files.copy(f, dir.resolve(from.relativize(f).toString()));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** A whole tree copied as it is, modification times included: the demo's own copy. */
    public static void copyTree(Path from, Path to) throws IOException {
        dev.imagevision.cli.DemoCommand.copyTree(from, to);
    }

    /** Every file under {@code root} (relative path → bytes), optionally leaving out the cache. */
    public static Map<String, byte[]> snapshot(Path root, boolean includeCache) {
        Map<String, byte[]> out = new TreeMap<>();
        try (var files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String rel = root.relativize(f).toString().replace('\\', '/');
                if (!includeCache && rel.startsWith(".image-cache/")) continue;
                out.put(rel, Files.readAllBytes(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Modification times of every file (proves a run rewrote nothing). */
    public static Map<String, Long> mtimes(Path root) {
        Map<String, Long> out = new TreeMap<>();
        try (var files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String rel = root.relativize(f).toString().replace('\\', '/');
                if (rel.endsWith("run.lock")) continue;
                out.put(rel, Files.getLastModifiedTime(f).toMillis());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
