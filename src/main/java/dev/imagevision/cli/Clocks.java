package dev.imagevision.cli;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * The clock a run stamps {@code scored_at} and ledger entries with. {@code IMAGEVISION_FIXED_CLOCK}
 * (an ISO instant) pins it, for reproducible builds and for tests that compare whole runs byte for byte.
 */
public final class Clocks {
    static final String FIXED = "IMAGEVISION_FIXED_CLOCK";

    private Clocks() {}

    public static Clock fromEnvironment(Map<String, String> env) {
        String fixed = env.get(FIXED);
        if (fixed == null || fixed.isBlank()) return Clock.systemUTC();
        try {
            return Clock.fixed(Instant.parse(fixed.strip()), ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(FIXED + "=" + fixed + " is not an ISO instant like 2026-11-01T12:00:00Z");
        }
    }
}
