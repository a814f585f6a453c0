package dev.imagevision.curation;

/** A flag, unflag or override that cannot be applied; the curation file was not touched. */
public final class CurationException extends IllegalArgumentException {
    public CurationException(String message) {
        super(message);
    }
}
