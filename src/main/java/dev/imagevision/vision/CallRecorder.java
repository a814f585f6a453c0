package dev.imagevision.vision;

import java.io.IOException;

/**
 * Where a paid provider reports every billed reply the moment it arrives, before its content is
 * used, so a run killed a second later has still recorded what it spent.
 */
@FunctionalInterface
public interface CallRecorder {
    CallRecorder NONE = call -> {};

    /** Durable when it returns; an I/O failure means the reply must not be used. */
    void paid(PaidCall call) throws IOException;
}
