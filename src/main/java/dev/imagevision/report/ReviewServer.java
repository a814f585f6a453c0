package dev.imagevision.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.imagevision.crop.CropWindow;
import dev.imagevision.crop.ImageException;
import dev.imagevision.crop.ImageHeader;
import dev.imagevision.curation.Curation;
import dev.imagevision.curation.CurationEntry;
import dev.imagevision.crop.ImageCodec;
import dev.imagevision.curation.CurationStore;
import dev.imagevision.manifest.ManifestEntry;
import dev.imagevision.manifest.ManifestFile;
import dev.imagevision.site.Json;
import dev.imagevision.site.Site;
import dev.imagevision.site.SiteFileException;
import dev.imagevision.site.SiteRoot;
import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.SubjectBox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code imagevision review}: the audit report served from 127.0.0.1, where a flag, an unflag or a
 * dragged focal point / subject box is written to the curation file at once (through
 * {@link CurationStore}, the same code {@code imagevision flag} uses).
 *
 * <p>Only this machine can reach it (loopback), and only this page can write: every write must
 * carry the per-run token embedded in the page, come from the page's own origin, and be JSON
 * (a cross-site form can do none of the three); the Host header is checked so a DNS-rebinding page
 * cannot read the token either. The server reads no file outside the site: it serves the page and
 * the originals and variants the manifest or provenance name, nothing else.
 *
 * <p>A client that is slow or stops half-way (half a request line, headers that never end, a body
 * that never comes, a response it never reads, an idle keep-alive connection, a connection that
 * never sends a byte) never holds up another: every exchange runs on its own virtual thread, so a
 * stuck one parks only itself; the JDK server's own limits ({@link Limits}) close such connections
 * and bound header sizes; and it holds as many connections at once as the process has files and
 * memory for, so a crowd of stalled ones does not take the places a real client needs. What a
 * connection can make the server hold stays small however many there are: the page is rendered
 * once per change of its files and shared ({@link ReviewPage}), and the manifest read once per change.
 */
public final class ReviewServer implements AutoCloseable {
    /** A write's JSON body is a path, a reason and a few numbers: anything bigger is not from the page. */
    public static final int MAX_BODY = 16 * 1024;
    static final String TOKEN_HEADER = "X-Imagevision-Token";

    private final Site site;
    private final CurationStore store;
    private final String token;
    private final PrintStream log;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Set<String> allowedHosts;
    private final Set<String> allowedOrigins;
    private final ReviewPage page;
    private final Set<String> sourcePaths;
    private final java.util.concurrent.locks.ReentrantLock readingManifest = new java.util.concurrent.locks.ReentrantLock();
    private volatile ManifestImages manifestImages;

    /**
     * What a client may take: the JDK server's limits, which it reads from system properties once per
     * process (when its first server starts), so only the review process itself sets them
     * ({@link #applyToThisProcess}); a value given with {@code -D} on the command line wins.
     *
     * @param clientTimeout  how long a client may take to send a whole request (line, headers, body);
     *                       a connection that sends nothing is closed after it too, an idle keep-alive
     *                       one after three times it, and a response not read after thirty times it
     * @param maxConnections how many connections the server holds at once; the JDK server closes a
     *                       connection that arrives beyond it at once, so this is what a crowd of
     *                       stalled clients must fill to shut a real one out (see {@link #connections})
     */
    public record Limits(Duration clientTimeout, int maxHeaders, int maxHeaderBytes, int maxConnections) {
        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
        /** File descriptors left free when connections are full: the originals the server streams, the files it writes. */
        static final long SPARE_FILES = 256;
        /** Never fewer places than this: a browser opens six connections a host, and a user may have a few tabs. */
        static final int MIN_CONNECTIONS = 64;
        /** The share of the heap stalled connections may fill at worst; the rest is for rendering the page. */
        static final int HEAP_SHARE_DIVISOR = 4;

        public Limits {
            if (clientTimeout.toSeconds() < 1 || clientTimeout.toSeconds() > 3600) {
                throw new IllegalArgumentException("the client timeout must be 1 to 3600 seconds, got " + clientTimeout.toSeconds());
            }
            if (maxConnections < 1) throw new IllegalArgumentException("at least one connection, got " + maxConnections);
        }

        /**
         * What the process has room for.
         *
         * @param fileLimit the most file descriptors it may open, or 0 where that is not known (Windows)
         * @param filesOpen how many it has open now (classes, libraries)
         * @param heapBytes its maximum heap
         */
        public record Capacity(long fileLimit, long filesOpen, long heapBytes) {
            /** This JVM's: its file-descriptor limit (which the JVM raises to the hard limit on start) and its -Xmx. */
            public static Capacity ofThisProcess() {
                long limit = 0, open = 0;
                if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
                    limit = unix.getMaxFileDescriptorCount();
                    open = unix.getOpenFileDescriptorCount();
                }
                return new Capacity(limit, open, Runtime.getRuntime().maxMemory());
            }
        }

        /** A page sends about twenty headers of a few hundred bytes; a browser opens six connections. */
        public static Limits of(Duration clientTimeout, Capacity capacity) {
            int maxHeaderBytes = 64 * 1024;
            return new Limits(clientTimeout, 100, maxHeaderBytes, connections(capacity, maxHeaderBytes));
        }

        /**
         * As many connections as the process can hold without running out of file descriptors (two a
         * connection, as one streaming an original holds the file too, keeping {@link #SPARE_FILES} for
         * the server's own) or filling more than a quarter of its heap, never fewer than
         * {@link #MIN_CONNECTIONS}. Stalled clients cannot be told from slow real ones, and the JDK server
         * cannot close an old connection to make room for a new one, so the only defence is that filling
         * every place takes what the process can actually hold, not a small fixed count: a connection
         * that sends nothing costs a descriptor and a few hundred bytes, one stalled in its headers at
         * most {@link #worstBytesPerConnection}, one whose answer is not read a few tens of KiB (the
         * page is shared and written in pieces, an original streamed).
         */
        static int connections(Capacity capacity, int maxHeaderBytes) {
            long byFiles = capacity.fileLimit() > 0 ? (capacity.fileLimit() - capacity.filesOpen() - SPARE_FILES) / 2 : Long.MAX_VALUE;
            long byHeap = capacity.heapBytes() / HEAP_SHARE_DIVISOR / worstBytesPerConnection(maxHeaderBytes);
            return (int) Math.min(Integer.MAX_VALUE, Math.max(MIN_CONNECTIONS, Math.min(byFiles, byHeap)));
        }

        /**
         * The most heap one connection holds while its request line and headers arrive: the JDK server
         * reads them into a char array that doubles as it grows (two bytes a character, old and new
         * array both alive while it copies) and keeps them as strings, behind an 8 KiB read buffer.
         * Measured: about 190 KiB a connection stalled just under 64 KiB of headers.
         */
        static long worstBytesPerConnection(int maxHeaderBytes) {
            return 4L * maxHeaderBytes + 16 * 1024;
        }

        /** The JDK server's settings (sun.net.httpserver, seconds unless named millis) for these limits. */
        public Map<String, String> jdkProperties() {
            long t = clientTimeout.toSeconds();
            Map<String, String> p = new LinkedHashMap<>();
            p.put("sun.net.httpserver.maxReqTime", Long.toString(t));
            p.put("sun.net.httpserver.maxRspTime", Long.toString(30 * t));
            p.put("sun.net.httpserver.idleInterval", Long.toString(3 * t));
            p.put("sun.net.httpserver.clockTick", "1000"); // idle connections are looked at every second, not ten
            p.put("sun.net.httpserver.timerMillis", "1000");
            p.put("sun.net.httpserver.maxReqHeaders", Integer.toString(maxHeaders));
            p.put("sun.net.httpserver.maxReqHeaderSize", Integer.toString(maxHeaderBytes));
            p.put("jdk.httpserver.maxConnections", Integer.toString(maxConnections));
            return p;
        }

        /**
         * Sets these limits for the JDK servers of this process; call before the first one starts.
         * A property already set (a {@code -D} option) is kept.
         */
        public void applyToThisProcess() {
            jdkProperties().forEach((k, v) -> {
                if (System.getProperty(k) == null) System.setProperty(k, v);
            });
        }
    }

    private ReviewServer(Site site, CurationStore store, String token, PrintStream log, int port, ImageCodec codec)
            throws IOException {
        if (token == null || token.length() < 16) throw new IllegalArgumentException("the review token must be at least 16 characters");
        this.site = site;
        this.store = store;
        this.token = token;
        this.log = log;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        int bound = server.getAddress().getPort();
        this.allowedHosts = Set.of("127.0.0.1:" + bound, "localhost:" + bound);
        this.allowedOrigins = Set.of("http://127.0.0.1:" + bound, "http://localhost:" + bound);
        this.page = new ReviewPage(site, store, AuditPage.Mode.review(token), p -> "/original" + encodePath(p), codec);
        this.sourcePaths = site.sources().stream().map(s -> s.path()).collect(java.util.stream.Collectors.toUnmodifiableSet());
        // one virtual thread per exchange: a client stuck mid-request parks its own thread, never a shared worker
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /**
     * Starts serving on 127.0.0.1.
     *
     * @param port  0 for any free port
     * @param store the curation writer (the one {@code imagevision flag} uses; it stamps flags with its clock)
     * @param token the per-run secret the page must send with every write
     * @param codec the imaging library the page's thumbnails are cut with
     */
    public static ReviewServer start(Site site, CurationStore store, String token, PrintStream log, int port,
                                     ImageCodec codec) throws IOException {
        ReviewServer s = new ReviewServer(site, store, token, log, port, codec);
        s.server.start();
        return s;
    }

    /** The socket address the server listens on (always a loopback address). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** A request refused: the status and the message the page shows. */
    static final class Refused extends Exception {
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            try {
                route(ex);
            } catch (Refused r) {
                sendJson(ex, r.status, Map.of("error", r.getMessage()));
            } catch (SiteFileException | IllegalArgumentException e) {
                sendJson(ex, 400, Map.of("error", e.getMessage()));
            } catch (IOException | RuntimeException e) {
                log.println("review: " + ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath() + " failed: " + e);
                sendJson(ex, 500, Map.of("error", "internal error: " + e.getMessage()));
            }
        }
    }

    private void route(HttpExchange ex) throws IOException, Refused {
        String host = ex.getRequestHeaders().getFirst("Host");
        if (host == null || !allowedHosts.contains(host.toLowerCase(Locale.ROOT))) {
            throw new Refused(403, "unexpected Host header; open the URL the review command printed");
        }
        String path = ex.getRequestURI().getRawPath();
        String method = ex.getRequestMethod();
        if (path.startsWith("/api/")) {
            if (!method.equals("POST")) throw new Refused(405, "use POST for " + path);
            write(ex, path.substring("/api/".length()));
        } else if (path.equals("/") || path.equals("/index.html")) {
            if (!method.equals("GET") && !method.equals("HEAD")) throw new Refused(405, "only GET here");
            page(ex);
        } else if (path.startsWith("/original/")) {
            if (!method.equals("GET") && !method.equals("HEAD")) throw new Refused(405, "only GET here");
            original(ex, URLDecoder.decode(path.substring("/original".length()), StandardCharsets.UTF_8));
        } else {
            throw new Refused(404, "nothing here: " + path);
        }
    }

    // ---- pages -------------------------------------------------------------------------------

    private void page(HttpExchange ex) throws IOException {
        byte[] body = page.html();
        Headers h = ex.getResponseHeaders();
        h.set("Content-Type", "text/html; charset=utf-8");
        h.set("Content-Security-Policy", "frame-ancestors 'none'");
        securityHeaders(h);
        send(ex, 200, body);
    }

    /** An original or a variant the site names; any other path is refused, whatever is on disk. */
    private void original(HttpExchange ex, String imagePath) throws IOException, Refused {
        if (!known(imagePath)) throw new Refused(404, "not an image of this site: " + imagePath);
        Path file;
        try {
            file = AuditReport.existingImage(site.root(), imagePath);
        } catch (SiteRoot.PathEscapeException e) {
            throw new Refused(404, e.getMessage());
        } catch (IOException e) {
            throw new Refused(404, e.getMessage());
        }
        String type;
        try {
            type = switch (ImageHeader.read(file).format()) {
                case JPEG -> "image/jpeg";
                case PNG -> "image/png";
                case WEBP -> "image/webp";
            };
        } catch (ImageException e) {
            throw new Refused(415, "not a JPEG, PNG or WebP file: " + imagePath);
        }
        Headers h = ex.getResponseHeaders();
        h.set("Content-Type", type);
        securityHeaders(h);
        // streamed, not read whole: many clients fetching large originals at once hold buffers, not files
        // the size is the open file's: a run replacing the image meanwhile (a rename) cannot change it under us
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
            boolean head = ex.getRequestMethod().equals("HEAD");
            long size = ch.size();
            ex.sendResponseHeaders(200, head || size == 0 ? -1 : size);
            if (!head && size > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    java.nio.channels.Channels.newInputStream(ch).transferTo(out);
                }
            }
        }
    }

    private boolean known(String imagePath) {
        return sourcePaths.contains(imagePath) || manifestImages().contains(imagePath);
    }

    /** The images the manifest names and their variants, as of the manifest file's stamp. */
    private record ManifestImages(ReviewPage.Stamp manifest, Set<String> paths) {}

    /**
     * The manifest's images, read again only when the file changed: thousands of connections fetching
     * originals at once must not each parse a manifest of thousands of entries.
     */
    private Set<String> manifestImages() {
        ManifestImages seen = manifestImages;
        if (seen != null && seen.manifest().unchanged()) return seen.paths();
        readingManifest.lock();
        try {
            seen = manifestImages;
            if (seen != null && seen.manifest().unchanged()) return seen.paths();
            Path file = site.file(site.config().paths().manifest());
            ReviewPage.Stamp stamp = ReviewPage.Stamp.of(file); // before the read: a write meanwhile only makes it stale
            Set<String> paths = new java.util.HashSet<>();
            for (Map.Entry<String, ManifestEntry> e : ManifestFile.read(file).entries().entrySet()) {
                paths.add(e.getKey());
                if (e.getValue().variants() != null) paths.addAll(e.getValue().variants().values());
            }
            manifestImages = new ManifestImages(stamp, Set.copyOf(paths));
            return manifestImages.paths();
        } finally {
            readingManifest.unlock();
        }
    }

    // ---- writes ------------------------------------------------------------------------------

    private void write(HttpExchange ex, String action) throws IOException, Refused {
        Headers req = ex.getRequestHeaders();
        String sent = req.getFirst(TOKEN_HEADER);
        if (sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            throw new Refused(403, "missing or wrong review token; reload the page the review command served");
        }
        String origin = req.getFirst("Origin");
        if (origin == null || !allowedOrigins.contains(origin.toLowerCase(Locale.ROOT))) {
            throw new Refused(403, "writes are accepted only from the review page itself (Origin " + origin + ")");
        }
        String fetchSite = req.getFirst("Sec-Fetch-Site");
        if (fetchSite != null && !fetchSite.equals("same-origin")) throw new Refused(403, "cross-site write refused");
        String type = req.getFirst("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new Refused(415, "send JSON (Content-Type: application/json)");
        }
        JsonNode body = readBody(ex);
        String path = store.normalise(text(body, "path"));
        if (site.sources().stream().noneMatch(s -> s.path().equals(path))) {
            throw new Refused(404, "unknown image path " + path + ": it is not a source image in the site's provenance");
        }
        Curation after;
        try {
            switch (action) {
                case "flag" -> {
                    store.flag(path, text(body, "reason"));
                    after = store.read();
                    log.println("review: flagged " + path);
                }
                case "unflag" -> {
                    if (store.read().flagged(path)) store.unflag(path); // unflagging twice is not an error for the page
                    after = store.read();
                    log.println("review: unflagged " + path);
                }
                case "override" -> {
                    FocalPoint focal = focal(body.get("focal_point"));
                    SubjectBox box = box(body.get("subject_box"));
                    // the same read-modify-write under the store's lock; a category override on the row is kept
                    after = store.update(c -> c.change(path, e -> e.withOverrides(focal, box, e.category())));
                    log.println("review: crop override for " + path);
                }
                default -> throw new Refused(404, "unknown action " + action + " (flag, unflag, override)");
            }
        } finally {
            page.changed(); // even a write that failed half-way may have changed the file
        }
        sendJson(ex, 200, state(path, after));
    }

    /** The image's state after a write, with the crop windows its override gives (a preview until score cuts them). */
    private Map<String, Object> state(String path, Curation curation) {
        CurationEntry row = curation.entry(path).orElse(null);
        ManifestEntry entry = ManifestFile.read(site.file(site.config().paths().manifest())).entries().get(path);
        FocalPoint focal = AuditData.effectiveFocal(entry, row);
        SubjectBox box = AuditData.effectiveBox(entry, row);
        Map<String, CropWindow.Fraction> windows = null;
        try {
            windows = CropPreview.windows(AuditReport.existingImage(site.root(), path), focal, box, site.config().variants());
        } catch (ImageException | IOException | SiteRoot.PathEscapeException e) {
            // the page keeps the windows it shows
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("path", path);
        out.put("flagged", row != null && row.flagged());
        out.put("reason", row != null && row.flagged() ? row.reason() : null);
        out.put("override", row != null && (row.focalPoint() != null || row.subjectBox() != null));
        out.put("pending", AuditData.overridePending(entry, row));
        out.put("focal_point", focal);
        out.put("subject_box", box);
        out.put("crop_windows", windows);
        return out;
    }

    private static JsonNode readBody(HttpExchange ex) throws IOException, Refused {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.strip()) > MAX_BODY) throw new Refused(413, "request body over " + MAX_BODY + " bytes");
            } catch (NumberFormatException e) {
                throw new Refused(400, "bad Content-Length");
            }
        }
        byte[] bytes;
        try (InputStream in = ex.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        }
        if (bytes.length > MAX_BODY) throw new Refused(413, "request body over " + MAX_BODY + " bytes");
        try {
            JsonNode node = Json.LENIENT.readTree(bytes);
            if (node == null || !node.isObject()) throw new Refused(400, "the body must be a JSON object");
            return node;
        } catch (JsonProcessingException e) {
            throw new Refused(400, "malformed JSON: " + e.getOriginalMessage());
        }
    }

    private static String text(JsonNode body, String field) throws Refused {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) throw new Refused(400, "\"" + field + "\" is missing");
        if (!n.isTextual()) throw new Refused(400, "\"" + field + "\" must be a string");
        return n.asText();
    }

    private static FocalPoint focal(JsonNode n) throws Refused {
        if (n == null || n.isNull()) return null;
        return FocalPoint.of(unit(n, "x"), unit(n, "y"));
    }

    private static SubjectBox box(JsonNode n) throws Refused {
        if (n == null || n.isNull()) return null;
        double x = unit(n, "x"), y = unit(n, "y"), w = unit(n, "w"), h = unit(n, "h");
        if (w <= 0 || h <= 0) throw new Refused(400, "subject_box needs a positive width and height");
        if (x + w > 1.0001 || y + h > 1.0001) throw new Refused(400, "subject_box must lie inside the image (0..1)");
        return SubjectBox.of(x, y, w, h);
    }

    private static double unit(JsonNode n, String field) throws Refused {
        JsonNode v = n.get(field);
        if (v == null || !v.isNumber()) throw new Refused(400, "\"" + field + "\" must be a number from 0 to 1");
        double d = v.asDouble();
        if (!(d >= 0 && d <= 1)) throw new Refused(400, "\"" + field + "\" must be from 0 to 1, got " + d);
        return d;
    }

    // ---- responses ---------------------------------------------------------------------------

    private static void securityHeaders(Headers h) {
        h.set("Cache-Control", "no-store");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        h.set("Referrer-Policy", "no-referrer");
        h.set("Cross-Origin-Resource-Policy", "same-origin");
    }

    private static void sendJson(HttpExchange ex, int status, Object value) throws IOException {
        Headers h = ex.getResponseHeaders();
        h.set("Content-Type", "application/json; charset=utf-8");
        securityHeaders(h);
        send(ex, status, Json.LENIENT.writeValueAsBytes(value));
    }

    /**
     * The JDK server copies each write whole into a buffer of its own twice the size, kept while the client
     * does not read: written at once, the shared page would cost every slow reader two copies of it.
     */
    static final int WRITE_CHUNK = 8 * 1024;

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                for (int off = 0; off < body.length; off += WRITE_CHUNK) {
                    out.write(body, off, Math.min(WRITE_CHUNK, body.length - off));
                }
            }
        }
    }

    /** A provenance path (always starting with '/') as a URL path: each segment percent-encoded. */
    static String encodePath(String path) {
        StringBuilder out = new StringBuilder();
        for (String part : path.substring(1).split("/", -1)) {
            out.append('/').append(java.net.URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return out.toString();
    }
}
