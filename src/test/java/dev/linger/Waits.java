package dev.linger;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * The one way tests wait for something another thread or process does: poll on a deadline, and fail the test
 * naming what never happened. A wait that runs out is a failure, never a silent return.
 */
public final class Waits {

    private Waits() {
    }

    /** A condition factory that polls every 50 ms for at most {@code atMost}, its failure naming {@code what}. */
    public static ConditionFactory upTo(Duration atMost, String what) {
        return Awaitility.await(what)
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(50))
                .pollDelay(Duration.ZERO)
                .ignoreExceptions();
    }
}
