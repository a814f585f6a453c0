package dev.imagevision.scope;

/** A scope flag names something the site does not have; the message lists what it does have. */
public final class ScopeException extends RuntimeException {
    public ScopeException(String message) {
        super(message);
    }
}
