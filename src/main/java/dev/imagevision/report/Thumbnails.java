package dev.imagevision.report;

import dev.imagevision.cache.AtomicFiles;
import dev.imagevision.cache.Hashing;
import dev.imagevision.crop.ImageCodec;
import dev.imagevision.crop.ImageException;
import dev.imagevision.crop.ImageHeader;
import dev.imagevision.crop.Raster;
import dev.imagevision.crop.VariantCutter;
import dev.imagevision.report.AuditData.Thumbnail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The report's 192 px previews, made from the source (never shipped full size) through the
 * codec seam, and kept in {@code <cache>/thumbs/} under a key of the source's content hash and
 * the thumbnail spec, so a warm report decodes nothing.
 */
public final class Thumbnails {
    /** Long edge of every thumbnail, in pixels. */
    public static final int EDGE = 192;
    static final int QUALITY = 78;

    private final Path dir;
    private final Supplier<ImageCodec> codecFactory;
    private final String libraryMajor;
    private final long maxInputPixels;
    private ImageCodec codec;

    /**
     * @param codec        made on the first cache miss only, so a warm report loads no native library
     * @param libraryMajor the codec's library and major version (part of the cache key)
     */
    public Thumbnails(Path cacheDir, Supplier<ImageCodec> codec, String libraryMajor, long maxInputPixels) {
        this.dir = cacheDir.resolve("thumbs");
        this.codecFactory = codec;
        this.libraryMajor = libraryMajor;
        this.maxInputPixels = maxInputPixels;
    }

    private synchronized ImageCodec codec() {
        if (codec == null) codec = codecFactory.get();
        return codec;
    }

    /** Cache key: source content, size, quality and imaging library (a new library may decode differently). */
    String key(String sourceSha256) {
        return Hashing.parts("thumb/v1", sourceSha256, Integer.toString(EDGE), Integer.toString(QUALITY),
                libraryMajor);
    }

    Path fileFor(String key) {
        return dir.resolve(key.substring(0, 2)).resolve(key + ".jpg");
    }

    /** Where the thumbnail of the source with content hash {@code sha256} is kept, relative to the cache folder. */
    public String cacheEntry(String sha256) {
        String key = key(sha256);
        return "thumbs/" + key.substring(0, 2) + "/" + key + ".jpg";
    }

    /** The cached thumbnail of the source with content hash {@code sha256}, if the cache has a sound one. */
    public Optional<Thumbnail> cached(String sha256) {
        return read(fileFor(key(sha256)));
    }

    /** The thumbnail of {@code source} (content hash {@code sha256}), from the cache or made now. */
    public Thumbnail get(Path source, String sha256) throws ImageException, IOException {
        Path cached = fileFor(key(sha256));
        Optional<Thumbnail> hit = read(cached);
        if (hit.isPresent()) return hit.get();
        Thumbnail made = make(source);
        try {
            AtomicFiles.write(cached, made.jpeg());
        } catch (IOException e) {
            // a read-only site keeps no thumbnail cache; the page still gets its thumbnail
            if (!AtomicFiles.refused(e, cached)) throw e;
        }
        return made;
    }

    private static Optional<Thumbnail> read(Path file) {
        if (!Files.isRegularFile(file)) return Optional.empty();
        try {
            byte[] b = Files.readAllBytes(file);
            if (!completeJpeg(b)) return Optional.empty();
            ImageHeader h = ImageHeader.read(file);
            return Optional.of(new Thumbnail(b, h.orientedWidth(), h.orientedHeight()));
        } catch (IOException | ImageException e) {
            return Optional.empty(); // a damaged cache file is a miss; it is made again
        }
    }

    Thumbnail make(Path source) throws ImageException {
        ImageHeader header = ImageHeader.read(source);
        VariantCutter.guard(header, maxInputPixels);
        int w = header.orientedWidth();
        int h = header.orientedHeight();
        int[] out = size(w, h);
        ImageCodec codec = codec();
        try (Raster raster = codec.decode(source, header, reduction(header, w, h))) {
            byte[] jpeg = codec.cutScaleEncode(raster, 0, 0, raster.width(), raster.height(), out[0], out[1], QUALITY);
            return new Thumbnail(jpeg, out[0], out[1]);
        }
    }

    /** Thumbnail size: long edge {@value #EDGE}, aspect kept, never upscaled, at least 1 px. */
    static int[] size(int w, int h) {
        int longEdge = Math.max(w, h);
        if (longEdge <= EDGE) return new int[] {w, h};
        double s = (double) EDGE / longEdge;
        return new int[] {Math.max(1, (int) Math.round(w * s)), Math.max(1, (int) Math.round(h * s))};
    }

    /** The largest DCT reduction (JPEG only) that still decodes at least the thumbnail's size. */
    static int reduction(ImageHeader header, int w, int h) {
        if (header.format() != dev.imagevision.crop.ImageFormat.JPEG) return 1;
        int longEdge = Math.max(w, h);
        int r = 1;
        while (r < 8 && longEdge / (r * 2) >= EDGE) r *= 2;
        return r;
    }

    static boolean completeJpeg(byte[] b) {
        int n = b.length;
        return n > 4 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[n - 2] & 0xFF) == 0xFF && (b[n - 1] & 0xFF) == 0xD9;
    }
}
