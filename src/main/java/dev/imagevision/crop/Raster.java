package dev.imagevision.crop;

/** A decoded image held by the codec: oriented, 8-bit, three colour channels. Close it when done. */
public interface Raster extends AutoCloseable {
    int width();

    int height();

    @Override
    void close();
}
