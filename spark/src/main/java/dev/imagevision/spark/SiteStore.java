package dev.imagevision.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.spark.util.SerializableConfiguration;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The site as a distributed run sees it: a folder on any Hadoop file system ({@code file://},
 * {@code hdfs://}, {@code s3a://} …) read and written through Hadoop's FileSystem API, by paths
 * relative to the site root. Writes are whole objects, never appends: on a file system with an
 * atomic rename an object is written to a temporary name beside it and renamed into place; on an
 * object store one PUT is already atomic for readers, and a write-once object is created without
 * overwrite (put-if-absent where the store supports conditional writes).
 */
public final class SiteStore implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Object stores: no atomic rename (a "rename" copies), but a single PUT replaces an object atomically. */
    private static final Set<String> OBJECT_STORES = Set.of("s3a", "s3", "s3n", "gs", "oss", "cos", "cosn", "obs", "wasb",
            "wasbs");

    private final String root;
    private final SerializableConfiguration conf;
    private transient FileSystem fs;

    private SiteStore(String root, Configuration conf) {
        this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
        this.conf = new SerializableConfiguration(conf);
    }

    /**
     * The site at {@code uri}; a bare path is a local folder ({@code file://}).
     *
     * @param conf the Hadoop configuration (the Spark context's: credentials, endpoints)
     */
    public static SiteStore at(String uri, Configuration conf) {
        URI u = URI.create(uri);
        String normal = u.getScheme() == null ? java.nio.file.Path.of(uri).toAbsolutePath().normalize().toUri().toString()
                : uri;
        return new SiteStore(normal, conf);
    }

    /** The site root's URI, e.g. {@code s3a://bucket/site}. */
    public String root() {
        return root;
    }

    public String scheme() {
        String s = URI.create(root).getScheme();
        return s == null ? "file" : s.toLowerCase(Locale.ROOT);
    }

    /** A store without an atomic rename; whole-object PUTs instead. */
    public boolean objectStore() {
        return OBJECT_STORES.contains(scheme());
    }

    synchronized FileSystem fs() throws IOException {
        if (fs == null) {
            FileSystem f = FileSystem.get(URI.create(root), conf.value());
            // the local file system writes a ".crc" file beside every file: never into a site
            fs = f instanceof LocalFileSystem local ? local.getRawFileSystem() : f;
        }
        return fs;
    }

    public Path path(String relative) {
        if (relative.startsWith("/") || relative.contains("..")) {
            throw new IllegalArgumentException("not a path inside the site: " + relative);
        }
        return new Path(root + "/" + relative);
    }

    /** What is at a path: a file (with its length), a folder, a symbolic link, or something else. */
    public record Entry(boolean file, boolean directory, boolean link, long length) {}

    /** What is at a path (links not followed), or empty. */
    public Optional<Entry> status(String relative) throws IOException {
        Path p = path(relative);
        try {
            FileSystem f = fs();
            if (f instanceof RawLocalFileSystem) {
                // Hadoop's link-aware status on the local file system forks a `stat` process per call (without its
                // native library); the file's own attributes tell the same without one
                FileStatus s = f.getFileStatus(p);
                boolean link = java.nio.file.Files.isSymbolicLink(java.nio.file.Path.of(p.toUri()));
                return Optional.of(new Entry(!link && s.isFile(), !link && s.isDirectory(), link, s.getLen()));
            }
            FileStatus s = f.supportsSymlinks() ? f.getFileLinkStatus(p) : f.getFileStatus(p);
            return Optional.of(new Entry(s.isFile(), s.isDirectory(), s.isSymlink(), s.getLen()));
        } catch (FileNotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * A new file's stream. On the local file system without a permission, so Hadoop does not fork
     * {@code chmod} per file (the file gets the process's umask, as the CLI's files do).
     */
    private FSDataOutputStream create(Path p, boolean overwrite) throws IOException {
        FileSystem f = fs();
        if (f instanceof RawLocalFileSystem) {
            return f.create(p, null, overwrite, 1 << 16, f.getDefaultReplication(p), f.getDefaultBlockSize(p), null);
        }
        return f.create(p, overwrite);
    }

    public boolean exists(String relative) throws IOException {
        return status(relative).isPresent();
    }

    /** The whole file, or empty when there is none. */
    public Optional<byte[]> read(String relative) throws IOException {
        try (FSDataInputStream in = fs().open(path(relative))) {
            return Optional.of(in.readAllBytes());
        } catch (FileNotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * Copies a file to local disk, hashing it on the way (a source may be far larger than memory
     * should hold). Returns its SHA-256, or empty when there is no such file.
     */
    public Optional<String> download(String relative, java.nio.file.Path local) throws IOException {
        var md = dev.imagevision.cache.Hashing.sha256();
        try (FSDataInputStream in = fs().open(path(relative));
             var out = java.nio.file.Files.newOutputStream(local)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
                out.write(buf, 0, n);
            }
        } catch (FileNotFoundException e) {
            return Optional.empty();
        }
        return Optional.of(java.util.HexFormat.of().formatHex(md.digest()));
    }

    /** At most the first {@code n} bytes of a file. */
    public byte[] head(String relative, int n) throws IOException {
        try (FSDataInputStream in = fs().open(path(relative))) {
            return in.readNBytes(n);
        }
    }

    /**
     * Publishes a whole object, replacing what is there: temporary object and rename where the file
     * system renames atomically, one PUT on an object store. A reader sees the old bytes or the new.
     */
    public void write(String relative, byte[] data) throws IOException {
        Path target = path(relative);
        FileSystem f = fs();
        if (objectStore()) {
            try (FSDataOutputStream out = create(target, true)) {
                out.write(data);
            }
            return;
        }
        Path tmp = new Path(target.getParent(), ".imagevision-" + Math.abs(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            f.mkdirs(target.getParent());
            try (FSDataOutputStream out = create(tmp, false)) {
                out.write(data);
                out.hsync();
            }
            if (!f.rename(tmp, target)) {
                // HDFS's rename never replaces; a file system that refuses gets delete-then-rename
                if (!f.delete(target, false) || !f.rename(tmp, target)) {
                    throw new IOException("cannot publish " + target + ": the file system refused the rename");
                }
            }
        } finally {
            f.delete(tmp, false);
        }
    }

    /** Writes only when the bytes differ, so a warm run rewrites nothing. Returns whether it wrote. */
    public boolean writeIfChanged(String relative, byte[] data) throws IOException {
        Optional<Entry> s = status(relative);
        if (s.isPresent() && s.get().file() && s.get().length() == data.length
                && java.util.Arrays.equals(read(relative).orElse(null), data)) {
            return false;
        }
        write(relative, data);
        return true;
    }

    /**
     * Creates an object that must not exist yet (put-if-absent): returns false, writing nothing, when
     * it does. Durable when it returns (hsync where the file system has it).
     */
    public boolean writeOnce(String relative, byte[] data) throws IOException {
        Path target = path(relative);
        FileSystem f = fs();
        if (objectStore()) {
            try (FSDataOutputStream out = f.createFile(target).overwrite(false).build()) {
                out.write(data);
            } catch (FileAlreadyExistsException e) {
                return false;
            }
            return true;
        }
        // temporary object, then a rename that must not replace: HDFS's rename fails when the target exists;
        // for the local file system (whose rename replaces) a hard link is the no-replace rename
        Path tmp = new Path(target.getParent(), ".imagevision-" + Math.abs(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            f.mkdirs(target.getParent());
            try (FSDataOutputStream out = create(tmp, false)) {
                out.write(data);
                out.hsync();
            }
            if (scheme().equals("file")) {
                try {
                    java.nio.file.Files.createLink(java.nio.file.Path.of(target.toUri()), java.nio.file.Path.of(tmp.toUri()));
                    return true;
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    return false;
                }
            }
            return f.rename(tmp, target);
        } finally {
            f.delete(tmp, false);
        }
    }

    /** Files directly under a folder (names), or none when it does not exist. */
    public List<String> list(String relative) throws IOException {
        List<String> out = new ArrayList<>();
        try {
            for (FileStatus s : fs().listStatus(path(relative))) out.add(s.getPath().getName());
        } catch (FileNotFoundException e) {
            return out;
        }
        out.sort(null);
        return out;
    }

    public void deleteTree(String relative) throws IOException {
        fs().delete(path(relative), true);
    }
}
