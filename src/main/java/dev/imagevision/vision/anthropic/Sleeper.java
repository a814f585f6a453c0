package dev.imagevision.vision.anthropic;

import java.time.Duration;

/** How the provider waits between attempts and polls; tests pass one that records instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
    Sleeper REAL = d -> Thread.sleep(d.toMillis());

    void sleep(Duration d) throws InterruptedException;
}
