package dev.imagevision.vision;

/** A provider could not judge an image. {@code fatal} = no later image will fare better (bad key). */
public class ProviderException extends Exception {
    private final boolean fatal;
    private final boolean imageFault;

    public ProviderException(String message, boolean fatal, Throwable cause) {
        this(message, fatal, false, cause);
    }

    private ProviderException(String message, boolean fatal, boolean imageFault, Throwable cause) {
        super(message, cause);
        this.fatal = fatal;
        this.imageFault = imageFault;
    }

    /**
     * The image itself cannot be judged (not an image, corrupt, past the pixel guard): the same
     * bytes fail the same way, so the failure is kept until the file changes or a forced re-score.
     */
    public static ProviderException imageFault(String message, Throwable cause) {
        return new ProviderException(message, false, true, cause);
    }

    /** Whether the fault lies in the image's bytes rather than in the provider or the network. */
    public boolean imageFault() {
        return imageFault;
    }

    public ProviderException(String message) {
        this(message, false, null);
    }

    public boolean fatal() {
        return fatal;
    }
}
