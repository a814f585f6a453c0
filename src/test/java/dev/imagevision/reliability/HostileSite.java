package dev.imagevision.reliability;

import static dev.imagevision.testing.CraftedImages.pngHeaderOnly;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagevision.testing.SampleSite;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.bytedeco.opencv.global.opencv_core.CV_16U;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

/**
 * A site that holds every kind of bad input at once, generated into a temp folder from a few small
 * real images of the sample site plus crafted bytes (nothing big is committed). Next to the site
 * root an {@code outside/} folder holds a real JPEG that symlinks and traversal paths point at: if
 * anything ever read it, its content hash would show up in the cache.
 *
 * <p>{@link #good} are the entries that must come out processed (odd formats included: CMYK,
 * 16-bit, palette, PNG bytes under {@code .jpg}); {@link #bad} are the entries that must be named
 * with a reason while the run goes on.
 */
final class HostileSite {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Real sample-site images, small ones, with their real provenance rows. */
    static final List<String> SAMPLE = List.of("/images/missions/artemis3/02.jpg", "/images/missions/crew-4/03.jpg",
            "/images/fleet-galleries/rs-25/01.jpg", "/images/missions/artemis3/03.jpg");
    static final String BAD = "/images/hostile-cases/bad/";
    /** The good image the editor flagged in the fixture's curation file. */
    static final String FLAGGED = SAMPLE.get(1);
    static final String ODD = "/images/hostile-cases/odd/";

    final Path root;
    final Path outside;
    final Path secret;
    /** Provenance paths that must be processed: manifest entry with a score, three variants on disk. */
    final List<String> good = new ArrayList<>();
    /** Provenance path (as written, or the row id when there is none) → what is wrong with it. */
    final Map<String, String> bad = new LinkedHashMap<>();
    /** Rows that are not sources by design (spec: SVGs are never scored); skipped, never processed. */
    final List<String> notSources = new ArrayList<>();

    private final ArrayNode rows = JSON.createArrayNode();

    private HostileSite(Path dir) {
        this.root = dir.resolve("site");
        this.outside = dir.resolve("outside");
        this.secret = outside.resolve("secret.jpg");
    }

    static HostileSite create(Path dir) throws IOException {
        HostileSite s = new HostileSite(dir);
        s.build();
        return s;
    }

    private void build() throws IOException {
        Path sample = SampleSite.source();
        JsonNode sampleRows = JSON.readTree(sample.resolve("static/data/image-provenance.json").toFile()).get("entries");
        Files.createDirectories(root.resolve("static/data/missions"));
        Files.copy(sample.resolve("static/data/missions/index.json"), root.resolve("static/data/missions/index.json"));

        // good: real images with their real rows
        for (String p : SAMPLE) {
            copy(sample.resolve("static" + p), p);
            for (JsonNode r : sampleRows) if (r.get("path").asText().equals(p)) rows.add(r.deepCopy());
            good.add(p);
        }
        byte[] photo = Files.readAllBytes(sample.resolve("static" + SAMPLE.get(0)));

        // good, in the formats that trip decoders up
        good(ODD + "cmyk.jpg", resource("/crop/cmyk-photo.jpg"));
        good(ODD + "sixteen-bit.png", sixteenBitPng(photo));
        good(ODD + "palette.png", palettePng(photo));
        good(ODD + "png-bytes.jpg", encode(photo, ".png")); // PNG bytes under .jpg: common on real sites

        // outside the site: what symlinks and traversal point at
        Files.createDirectories(outside.resolve("gallery"));
        Files.write(secret, encode(Files.readAllBytes(sample.resolve("static" + SAMPLE.get(1))), ".jpg"));
        Files.copy(secret, outside.resolve("gallery/01.jpg"));
        Files.writeString(outside.resolve("canary.txt"), "nothing may write here\n");

        // bad image files
        bad(BAD + "zero.jpg", new byte[0], "zero-byte file");
        bad(BAD + "truncated.jpg", Arrays.copyOf(photo, photo.length / 2), "truncated JPEG");
        byte[] png = encode(photo, ".png");
        bad(BAD + "truncated.png", Arrays.copyOf(png, png.length / 3), "truncated PNG");
        bad(BAD + "bomb.png", pngHeaderOnly(100_000, 100_000), "PNG declaring 100000x100000 in a few bytes");
        bad(BAD + "bomb.jpg", jpegHeaderOnly(65_000, 65_000), "JPEG declaring 65000x65000 in a few bytes");
        bad(BAD + "bomb.webp", webpCanvasOnly(16_384, 16_384), "WebP declaring a 16384x16384 canvas");
        bad(BAD + "notes.jpg", "These are my notes, not a photo.\n".getBytes(StandardCharsets.UTF_8), "text named .jpg");
        bad(BAD + "page.jpg", "<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>\n"
                .getBytes(StandardCharsets.UTF_8), "HTML named .jpg");
        bad(BAD + "vector.jpg", svg(), "SVG named .jpg");
        Files.createDirectories(root.resolve("static" + BAD + "folder.jpg"));
        row(BAD + "folder.jpg", "a directory named .jpg");
        row(BAD + "missing.jpg", "no file at all");

        // an SVG row: never a source (spec), so skipped, never read as an image
        write(BAD + "logo.svg", svg());
        rows.addObject().put("id", "svg").put("path", BAD + "logo.svg").put("source_type", "test");
        notSources.add(BAD + "logo.svg");

        // symlinks that leave the site: a file link and a directory link
        Path fileLink = root.resolve("static" + BAD + "link.jpg");
        Files.createSymbolicLink(fileLink, secret);
        row(BAD + "link.jpg", "symlink to a file outside the site");
        Path dirLink = root.resolve("static/images/hostile-cases/linked");
        Files.createSymbolicLink(dirLink, outside.resolve("gallery"));
        row("/images/hostile-cases/linked/01.jpg", "symlinked folder outside the site");

        // provenance paths that try to leave the site
        row("/images/../../outside/secret.jpg", "'..' traversal");
        row("/images/%2e%2e/%2e%2e/%2e%2e/outside/secret.jpg", "URL-encoded traversal");
        row("/images/%2E%2E%2f%2E%2E%2fsecret.jpg", "URL-encoded traversal with encoded slashes");
        row(secret.toAbsolutePath().toString(), "absolute filesystem path (read as site-relative: no such file)");
        row("//outside/secret.jpg", "protocol-relative path");
        row("file://" + secret.toAbsolutePath(), "file: URL");
        row("C:\\outside\\secret.jpg", "drive letter and backslashes");
        row("/images/hostile-cases/bad/nul\u0000.jpg", "NUL byte in the path");
        rows.addObject().put("id", "no-path-row").put("source_type", "test");
        bad.put("no-path-row", "row without a path");

        // rows that are not rows: a field of the wrong type, a string, a null
        rows.addObject().put("id", "typed").put("path", BAD + "typed.jpg").putArray("title").add("not a string");
        bad.put(BAD + "typed.jpg", "row whose title is an array");
        bad.put("entry #" + rows.size(), "row that is a string");
        rows.add("/images/hostile-cases/bad/string-row.jpg");
        bad.put("entry #" + rows.size(), "row that is null");
        rows.addNull();

        // the same good row twice
        rows.add(rows.get(0).deepCopy());
        bad.put(SAMPLE.get(0), "duplicate provenance row");

        ObjectNode prov = JSON.createObjectNode();
        prov.put("schema_version", 1);
        prov.set("entries", rows);
        Files.write(root.resolve("static/data/image-provenance.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(prov));
        Files.writeString(root.resolve("imagevision.json"), "{\n  \"provider\": \"local\",\n  \"concurrency\": 2\n}\n");
        // the editor's flag, which every run must honour
        Files.writeString(root.resolve("static/data/image-curation.json"), "{\n  \"version\": \"1.0\",\n  \"entries\": [\n"
                + "    {\"path\": \"" + FLAGGED + "\", \"reason\": \"wrong rover\", \"flaggedAt\": \"2026-10-01T00:00:00.000Z\"}\n  ]\n}\n");
        // a manifest a bad merge left behind, and a ledger nobody may touch on a free run
        Files.writeString(root.resolve("static/data/image-vision.json"),
                "{\n  \"version\": 1,\n<<<<<<< HEAD\n  \"entries\": {}\n=======\n}\n");
        Files.writeString(root.resolve("static/data/image-vision-cost-ledger.json"), "{\"entries\": [ {\"ts\": ");
    }

    /** The files outside the site, byte for byte, to prove nothing wrote there. */
    Map<String, byte[]> outsideSnapshot() {
        return SampleSite.snapshot(outside, true);
    }

    private void good(String path, byte[] bytes) throws IOException {
        write(path, bytes);
        rows.addObject().put("id", "good-" + good.size()).put("path", path).put("source_type", "test")
                .put("agency", "NASA").put("title", "odd format").put("license_short", "CC0-1.0");
        good.add(path);
    }

    private void bad(String path, byte[] bytes, String why) throws IOException {
        write(path, bytes);
        row(path, why);
    }

    private void row(String path, String why) {
        rows.addObject().put("id", "bad-" + bad.size()).put("path", path).put("source_type", "test")
                .put("agency", "NASA").put("title", why);
        bad.put(path, why);
    }

    private void copy(Path from, String path) throws IOException {
        Path to = root.resolve("static" + path);
        Files.createDirectories(to.getParent());
        Files.copy(from, to);
    }

    private void write(String path, byte[] bytes) throws IOException {
        Path to = root.resolve("static" + path);
        Files.createDirectories(to.getParent());
        Files.write(to, bytes);
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = HostileSite.class.getResourceAsStream(name)) {
            if (in == null) throw new IOException("test resource " + name + " is missing");
            return in.readAllBytes();
        }
    }

    // ---- crafted bytes ---------------------------------------------------------------------------

    static Mat decode(byte[] bytes) {
        try (BytePointer p = new BytePointer(bytes); Mat buf = new Mat(1, bytes.length, org.bytedeco.opencv.global.opencv_core.CV_8U, p)) {
            return imdecode(buf, IMREAD_COLOR);
        }
    }

    static byte[] encode(Mat m, String ext) {
        try (BytePointer out = new BytePointer()) {
            if (!imencode(ext, m, out)) throw new IllegalStateException("cannot encode " + ext);
            byte[] b = new byte[(int) out.limit()];
            out.get(b);
            return b;
        }
    }

    static byte[] encode(byte[] image, String ext) {
        try (Mat m = decode(image)) {
            return encode(m, ext);
        }
    }

    static byte[] sixteenBitPng(byte[] image) {
        try (Mat m = decode(image); Mat wide = new Mat()) {
            m.convertTo(wide, CV_16U, 257.0, 0);
            return encode(wide, ".png");
        }
    }

    static byte[] palettePng(byte[] image) throws IOException {
        BufferedImage src = ImageIO.read(new ByteArrayInputStream(image));
        BufferedImage indexed = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_BYTE_INDEXED);
        indexed.getGraphics().drawImage(src, 0, 0, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(indexed, "png", out)) throw new IOException("no PNG writer");
        return out.toByteArray();
    }

    static byte[] svg() {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><circle cx="32" cy="32" r="30"/></svg>
                """.getBytes(StandardCharsets.UTF_8);
    }

    /** A baseline JPEG frame header declaring {@code w × h}, a scan header, a few bytes and the end marker. */
    static byte[] jpegHeaderOnly(int w, int h) {
        ByteBuffer b = ByteBuffer.allocate(64);
        b.put((byte) 0xFF).put((byte) 0xD8);
        b.put((byte) 0xFF).put((byte) 0xC0).putShort((short) 17).put((byte) 8).putShort((short) h).putShort((short) w)
                .put((byte) 3).put(new byte[] {1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1});
        b.put((byte) 0xFF).put((byte) 0xDA).putShort((short) 12).put((byte) 3)
                .put(new byte[] {1, 0, 2, 0x11, 3, 0x11, 0, 0x3F, 0});
        b.put(new byte[] {0x12, 0x34, 0x56, 0x78});
        b.put((byte) 0xFF).put((byte) 0xD9);
        return Arrays.copyOf(b.array(), b.position());
    }

    /** A WebP with an extended (VP8X) header declaring a {@code w × h} canvas, and no image data. */
    static byte[] webpCanvasOnly(int w, int h) {
        ByteBuffer b = ByteBuffer.allocate(12 + 18 + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(38).put("WEBP".getBytes(StandardCharsets.US_ASCII));
        b.put("VP8X".getBytes(StandardCharsets.US_ASCII)).putInt(10).put((byte) 0).put(new byte[3]);
        b.put((byte) (w - 1)).put((byte) ((w - 1) >> 8)).put((byte) ((w - 1) >> 16));
        b.put((byte) (h - 1)).put((byte) ((h - 1) >> 8)).put((byte) ((h - 1) >> 16));
        b.put("VP8L".getBytes(StandardCharsets.US_ASCII)).putInt(4).put(new byte[] {0x2F, 0, 0, 0}).put(new byte[4]);
        return b.array();
    }
}
