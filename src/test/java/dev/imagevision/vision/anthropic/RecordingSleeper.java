package dev.imagevision.vision.anthropic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Records every wait instead of waiting; can stand in for a kill at the n-th wait. */
public final class RecordingSleeper implements Sleeper {
    public final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());
    private final int killAt;

    /** Thrown at the chosen wait: the process "dies" there. */
    public static final class Killed extends RuntimeException {
        public Killed() {
            super("simulated kill");
        }
    }

    public RecordingSleeper() {
        this(0);
    }

    /** @param killAt the 1-based wait at which to throw {@link Killed}; 0 never */
    public RecordingSleeper(int killAt) {
        this.killAt = killAt;
    }

    @Override
    public void sleep(Duration d) {
        waits.add(d);
        if (killAt > 0 && waits.size() == killAt) throw new Killed();
    }

    public Duration total() {
        synchronized (waits) {
            return waits.stream().reduce(Duration.ZERO, Duration::plus);
        }
    }
}
