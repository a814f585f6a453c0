package dev.imagevision.vision;

/** A provider could not judge an image. {@code fatal} = no later image will fare better (bad key). */
public class ProviderException extends Exception {
    private final boolean fatal;

    public ProviderException(String message, boolean fatal, Throwable cause) {
        super(message, cause);
        this.fatal = fatal;
    }

    public ProviderException(String message) {
        this(message, false, null);
    }

    public boolean fatal() {
        return fatal;
    }
}
