package dev.imagevision.crop;

/**
 * A decoded image held by the codec, in whatever layout it keeps (stored orientation, 1–4 channels).
 * Its size is the size after EXIF orientation, the one crop windows refer to. Close it when done.
 */
public interface Raster extends AutoCloseable {
    int width();

    int height();

    @Override
    void close();
}
