package dev.imagevision.crop;

/** The formats a source may be in, decided by the file's first bytes, never by its name. */
public enum ImageFormat {
    JPEG("image/jpeg"), PNG("image/png"), WEBP("image/webp");

    private final String mediaType;

    ImageFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    public String mediaType() {
        return mediaType;
    }
}
