package dev.imagevision.vision.anthropic;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AdaptiveLimitTest {

    @Test
    void a429HalvesWhatMayBeInFlightAndCleanRepliesWinItBack() throws InterruptedException {
        AdaptiveLimit l = new AdaptiveLimit(8);
        for (int i = 0; i < 8; i++) assertThat(l.tryAcquire()).isTrue();
        assertThat(l.tryAcquire()).isFalse();
        l.release(AdaptiveLimit.Signal.THROTTLED);
        assertThat(l.limit()).isEqualTo(4);
        for (int i = 0; i < 7; i++) l.release(AdaptiveLimit.Signal.OTHER);
        assertThat(l.inFlight()).isZero();
        for (int i = 0; i < 4; i++) assertThat(l.tryAcquire()).isTrue();
        assertThat(l.tryAcquire()).isFalse(); // only four at once now
        for (int i = 0; i < 4; i++) l.release(AdaptiveLimit.Signal.OK);
        assertThat(l.limit()).isEqualTo(5); // four clean replies in a row: one more slot
        l.acquire();
        l.release(AdaptiveLimit.Signal.OK);
    }

    @Property
    void theLimitStaysBetweenOneAndTheConfiguredConcurrency(@ForAll @IntRange(min = 1, max = 16) int max,
                                                            @ForAll List<AdaptiveLimit.Signal> signals) {
        AdaptiveLimit.State s = new AdaptiveLimit.State(max, 0);
        for (AdaptiveLimit.Signal sig : signals) {
            AdaptiveLimit.State next = AdaptiveLimit.next(s, max, sig);
            assertThat(next.limit()).isBetween(1, max);
            if (sig == AdaptiveLimit.Signal.THROTTLED) assertThat(next.limit()).isLessThanOrEqualTo(Math.max(1, s.limit() / 2));
            if (sig == AdaptiveLimit.Signal.OK) assertThat(next.limit()).isBetween(s.limit(), s.limit() + 1);
            s = next;
        }
    }
}
