package dev.imagevision.site;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The site on disk and the one rule about it: nothing outside the site's static folder is ever
 * read or written because a provenance path (or a symlink under it) points there.
 */
public final class SiteRoot {
    // compiled once: every image and each of its variants is checked on every run
    private static final java.util.regex.Pattern ENCODED_TRAVERSAL =
            java.util.regex.Pattern.compile("%(2e|2f|5c|00)", java.util.regex.Pattern.CASE_INSENSITIVE);
    private final Path root;
    private final Path staticDir;
    private volatile Path realStaticDir;

    public SiteRoot(Path root, String staticDir) {
        this.root = root.toAbsolutePath().normalize();
        this.staticDir = this.root.resolve(staticDir).normalize();
    }

    public Path root() {
        return root;
    }

    public Path staticDir() {
        return staticDir;
    }

    /** A file under the root named by a config path (manifest, cache, …). */
    public Path file(String relative) {
        return root.resolve(relative).normalize();
    }

    /**
     * Why a provenance path may not be used, or empty when it is safe to resolve: traversal,
     * URL-encoded traversal, a drive or scheme, a NUL byte.
     */
    public static Optional<String> unsafeReason(String path) {
        if (path == null || path.isBlank()) return Optional.of("empty path");
        if (path.indexOf('\0') >= 0) return Optional.of("path contains a NUL byte");
        if (!path.startsWith("/") || path.startsWith("//")) return Optional.of("path must start with a single '/'");
        if (path.contains(":")) return Optional.of("path contains ':' (a drive letter or URL scheme)");
        if (path.contains("\\")) return Optional.of("path contains a backslash");
        // another spelling of a path that names the same file: two such rows would share one file's variants
        if (path.indexOf("//", 1) >= 0) return Optional.of("path contains an empty segment ('//')");
        // a web server reads these as a URL's query or fragment: the file could never be served under this path
        if (path.contains("?")) return Optional.of("path contains '?' (a URL query, which no file path can be served under)");
        if (path.contains("#")) return Optional.of("path contains '#' (a URL fragment, which no file path can be served under)");
        if (ENCODED_TRAVERSAL.matcher(path).find()) {
            return Optional.of("path contains URL-encoded dots or separators (encoded traversal)");
        }
        for (String part : path.split("/")) {
            if (part.equals("..") || part.equals(".")) return Optional.of("path contains '..' or '.' segments");
        }
        return Optional.empty();
    }

    /** The file for a provenance path, lexically inside the static folder, or a refusal. */
    public Path resolveImage(String path) {
        Optional<String> why = unsafeReason(path);
        if (why.isPresent()) throw new PathEscapeException(path, why.get());
        Path p = staticDir.resolve(path.substring(1)).normalize();
        if (!p.startsWith(staticDir)) throw new PathEscapeException(path, "resolves outside the site's static folder");
        return p;
    }

    /**
     * The real file to read for a provenance path: like {@link #resolveImage} and, when the file
     * exists, its symlinks resolved and checked to stay inside the static folder.
     */
    public Path readableImage(String path) throws IOException {
        Path p = resolveImage(path);
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return p;
        Path real = p.toRealPath();
        Path realStatic = realStaticDir;
        if (realStatic == null) realStaticDir = realStatic = staticDir.toRealPath();
        if (!real.startsWith(realStatic)) {
            throw new PathEscapeException(path, "is a link that points outside the site's static folder");
        }
        return real;
    }

    /** Thrown for a provenance path that would leave the site. */
    public static final class PathEscapeException extends RuntimeException {
        public PathEscapeException(String path, String why) {
            super("refused provenance path " + path + ": " + why);
        }
    }
}
