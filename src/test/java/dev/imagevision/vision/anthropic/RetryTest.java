package dev.imagevision.vision.anthropic;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RetryTest {
    static Fault fault(int status, Duration retryAfter) {
        return new Fault(Fault.kindOf(status), status, retryAfter, "x");
    }

    @Test
    void theStatusesTheSpecNamesAreRetriedAndA400IsNot() {
        for (int s : new int[] {429, 500, 502, 503, 529, 0}) {
            assertThat(Retry.decide(1, fault(s, null), 0.5).retry()).as("status " + s).isTrue();
        }
        for (int s : new int[] {400, 401, 403, 404, 413, 301, 302, 303, 307, 308}) {
            assertThat(Retry.decide(1, fault(s, null), 0.5).retry()).as("status " + s).isFalse();
        }
    }

    /** The API never redirects: any 3xx came from something in the way, and is neither followed nor retried. */
    @Property
    void everyRedirectIsItsOwnKind(@ForAll @IntRange(min = 300, max = 399) int status) {
        assertThat(Fault.kindOf(status)).isEqualTo(Fault.Kind.REDIRECTED);
        assertThat(fault(status, null).retryable()).isFalse();
    }

    @Test
    void atMostThreeAttempts() {
        assertThat(Retry.decide(2, fault(500, null), 0).retry()).isTrue();
        assertThat(Retry.decide(3, fault(500, null), 0).retry()).isFalse();
        assertThat(Retry.decide(3, fault(500, null), 0).giveUpReason()).contains("3 attempts");
    }

    @Test
    void retryAfterIsHonouredWhenLongerThanTheBackoffAndRefusedWhenAbsurd() {
        assertThat(Retry.decide(1, fault(429, Duration.ofSeconds(20)), 0.9).delay()).isEqualTo(Duration.ofSeconds(20));
        assertThat(Retry.decide(1, fault(429, Duration.ofMillis(10)), 0.0).delay()).isEqualTo(Duration.ofMillis(500));
        Retry.Decision tooLong = Retry.decide(1, fault(429, Duration.ofHours(1)), 0.5);
        assertThat(tooLong.retry()).isFalse();
        assertThat(tooLong.giveUpReason()).contains("3600 s");
    }

    @Test
    void retryAfterIsReadInEveryFormTheApiUses() {
        Instant now = Instant.parse("2026-07-06T10:00:00Z");
        assertThat(Retry.retryAfter(List.of(), List.of("7"), now)).contains(Duration.ofSeconds(7));
        assertThat(Retry.retryAfter(List.of(), List.of("1.5"), now)).contains(Duration.ofMillis(1500));
        assertThat(Retry.retryAfter(List.of("250"), List.of("7"), now)).contains(Duration.ofMillis(250));
        assertThat(Retry.retryAfter(List.of(), List.of("Mon, 06 Jul 2026 10:00:30 GMT"), now)).contains(Duration.ofSeconds(30));
        assertThat(Retry.retryAfter(List.of(), List.of("soon"), now)).isEmpty();
        assertThat(Retry.retryAfter(List.of(), List.of(), now)).isEmpty();
    }

    /** The backoff doubles per attempt within its jitter band and never exceeds the cap. */
    @Property
    void backoffGrowsExponentiallyWithJitter(@ForAll @IntRange(min = 1, max = 12) int attempt,
                                             @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double jitter) {
        Duration d = Retry.backoff(attempt, jitter);
        long full = Math.min(Retry.MAX_BACKOFF.toMillis(), 1000L << (attempt - 1));
        assertThat(d.toMillis()).isBetween(full / 2, full);
        assertThat(d).isLessThanOrEqualTo(Retry.MAX_BACKOFF);
    }

    @Property
    void theWaitIsNeverShorterThanWhatTheApiAskedFor(@ForAll @IntRange(min = 0, max = 120_000) int askedMs,
                                                      @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double jitter) {
        Retry.Decision d = Retry.decide(1, fault(429, Duration.ofMillis(askedMs)), jitter);
        assertThat(d.retry()).isTrue();
        assertThat(d.delay()).isGreaterThanOrEqualTo(Duration.ofMillis(askedMs));
    }
}
