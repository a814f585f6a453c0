package dev.imagevision.crop;

/** An image that cannot be used: not an image, truncated, too large, undecodable. The message says which. */
public final class ImageException extends Exception {
    public ImageException(String message) {
        super(message);
    }

    public ImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
