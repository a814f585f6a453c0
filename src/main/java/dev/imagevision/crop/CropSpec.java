package dev.imagevision.crop;

/** One variant to cut: its id ("16x9"), ratio, largest long edge in pixels and JPEG quality. */
public record CropSpec(String id, int ratioW, int ratioH, int maxEdge, int quality) {
    public CropSpec {
        if (ratioW < 1 || ratioH < 1 || maxEdge < 1 || quality < 1 || quality > 100) {
            throw new IllegalArgumentException("unusable crop spec " + id);
        }
    }

    /** Stable text for cache keys: every field that changes the output bytes. */
    public String cacheText() {
        return id + ":" + ratioW + "x" + ratioH + ":max" + maxEdge + ":q" + quality;
    }
}
