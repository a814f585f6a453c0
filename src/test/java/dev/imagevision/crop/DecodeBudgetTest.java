package dev.imagevision.crop;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class DecodeBudgetTest {
    private static final long MIB = 1L << 20;

    @Test
    void workInFlightNeverExceedsTheBudgetAndOversizeWorkRunsAlone() throws Exception {
        long budget = 64 * MIB;
        DecodeBudget b = new DecodeBudget(budget);
        AtomicLong inFlight = new AtomicLong();
        AtomicLong peak = new AtomicLong();
        AtomicLong aloneViolations = new AtomicLong();
        AtomicLong running = new AtomicLong();
        SplittableRandom random = new SplittableRandom(42);
        List<Long> sizes = new ArrayList<>();
        for (int i = 0; i < 400; i++) sizes.add(i % 37 == 0 ? 200 * MIB : 1 + random.nextLong(24 * MIB));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (long size : sizes) {
                futures.add(pool.submit(() -> b.run(size, () -> {
                    long counted = Math.min(size, budget);
                    long now = inFlight.addAndGet(counted);
                    long others = running.incrementAndGet();
                    if (size >= budget && others > 1) aloneViolations.incrementAndGet();
                    peak.accumulateAndGet(now, Math::max);
                    int spin = busyWork(size);
                    running.decrementAndGet();
                    inFlight.addAndGet(-counted);
                    return spin;
                })));
            }
            for (Future<Integer> f : futures) f.get();
        } finally {
            pool.shutdownNow();
        }
        assertThat(peak.get()).isLessThanOrEqualTo(budget);
        assertThat(aloneViolations.get()).as("oversize work shares the budget with nobody").isZero();
        assertThat(b.available()).isEqualTo(budget);
    }

    /** A little CPU so that work overlaps between threads (tests never sleep). */
    private static int busyWork(long seed) {
        int x = (int) seed;
        for (int i = 0; i < 20_000; i++) x = x * 1_103_515_245 + 12_345;
        return x;
    }

    @Test
    void failedWorkGivesItsShareBack() {
        DecodeBudget b = new DecodeBudget(8 * MIB);
        try {
            b.run(4 * MIB, () -> {
                throw new ImageException("corrupt");
            });
        } catch (ImageException expected) {
            assertThat(expected).hasMessage("corrupt");
        }
        assertThat(b.available()).isEqualTo(8 * MIB);
    }
}
