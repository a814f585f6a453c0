package dev.imagevision.crop;

import java.nio.file.Path;

/**
 * The imaging library behind one narrow seam: decode a file, cut and scale a window of it (in
 * oriented coordinates), encode that as an sRGB 8-bit JPEG without metadata, transparency flattened.
 * Crop geometry never sees the library.
 */
public interface ImageCodec {

    /**
     * Decodes the file at 1/{@code reduction} scale (1, 2, 4 or 8; only JPEG honours more than 1,
     * in the DCT). The header must have passed the pixel guard.
     */
    Raster decode(Path file, ImageHeader header, int reduction) throws ImageException;

    /**
     * Cuts {@code [x, y, w, h]} (oriented pixels of the raster), scales it to {@code outW × outH} and
     * encodes it as JPEG; the same inputs always give the same bytes.
     */
    byte[] cutScaleEncode(Raster raster, int x, int y, int w, int h, int outW, int outH, int quality)
            throws ImageException;

    /** Library and major version, e.g. {@code opencv-4}: part of the variant cache key. */
    String libraryMajorVersion();

    /**
     * Loads the library's native code on the calling thread, once, before several threads first use it:
     * native libraries whose classes load each other can deadlock when two threads load them at once.
     */
    default void loadNatives() {}
}
