package dev.imagevision.vision.anthropic;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * When to try a failed request again, pure: at most {@link #MAX_ATTEMPTS} attempts, exponential
 * backoff with equal jitter (half fixed, half random), never shorter than what the API asked for
 * in {@code retry-after}; a wait longer than {@link #MAX_HONOURED_WAIT} is not worth holding a
 * build for, and the image fails instead (a later run retries it).
 */
final class Retry {
    private Retry() {}

    static final int MAX_ATTEMPTS = 3;
    static final Duration BASE = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    static final Duration MAX_HONOURED_WAIT = Duration.ofSeconds(120);

    /** Wait this long, then try again; or give up ({@code wait} null) with the reason. */
    record Decision(Duration delay, String giveUpReason) {
        boolean retry() {
            return delay != null;
        }
    }

    /**
     * @param attempt the attempt that just failed, 1-based
     * @param jitter  a uniform random number in [0, 1)
     */
    static Decision decide(int attempt, Fault fault, double jitter) {
        if (!fault.retryable()) return new Decision(null, fault.describe());
        if (attempt >= MAX_ATTEMPTS) return new Decision(null, fault.describe() + " (" + attempt + " attempts)");
        Duration backoff = backoff(attempt, jitter);
        Duration asked = fault.retryAfter();
        if (asked != null && asked.compareTo(MAX_HONOURED_WAIT) > 0) {
            return new Decision(null, fault.describe() + " (the API asked to wait " + asked.toSeconds()
                    + " s; run again later)");
        }
        return new Decision(asked != null && asked.compareTo(backoff) > 0 ? asked : backoff, null);
    }

    /** BASE × 2^(attempt−1), capped, of which the upper half is random. */
    static Duration backoff(int attempt, double jitter) {
        long full = Math.min(MAX_BACKOFF.toMillis(), BASE.toMillis() << Math.min(20, attempt - 1));
        double j = Math.max(0, Math.min(1, jitter));
        return Duration.ofMillis(full / 2 + Math.round(full / 2.0 * j));
    }

    /**
     * The wait the API asked for: {@code retry-after-ms}, else {@code retry-after} in seconds or as an
     * HTTP date; none when absent or unreadable.
     */
    static Optional<Duration> retryAfter(List<String> retryAfterMs, List<String> retryAfter, Instant now) {
        for (String v : retryAfterMs) {
            try {
                double ms = Double.parseDouble(v.strip());
                if (ms >= 0 && Double.isFinite(ms)) return Optional.of(Duration.ofMillis((long) Math.ceil(ms)));
            } catch (NumberFormatException ignored) {
                // fall through to retry-after
            }
        }
        for (String v : retryAfter) {
            String s = v.strip();
            try {
                double secs = Double.parseDouble(s);
                if (secs >= 0 && Double.isFinite(secs)) return Optional.of(Duration.ofMillis((long) Math.ceil(secs * 1000)));
            } catch (NumberFormatException notSeconds) {
                try {
                    Instant at = ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                    Duration d = Duration.between(now, at);
                    return Optional.of(d.isNegative() ? Duration.ZERO : d);
                } catch (DateTimeParseException ignored) {
                    // unreadable: use our own backoff
                }
            }
        }
        return Optional.empty();
    }
}
