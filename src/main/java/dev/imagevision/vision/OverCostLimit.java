package dev.imagevision.vision;

/**
 * A request was not sent: its cost ceiling does not fit under the run's hard cost limit beside what was
 * spent and what is in flight. Not a fault of the image; the run stops starting calls.
 */
public final class OverCostLimit extends RuntimeException {
    public OverCostLimit(String message) {
        super(message, null, false, false);
    }
}
