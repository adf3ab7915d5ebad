package dev.linger.incident;

import java.time.Duration;

/**
 * The limits the {@link Detector} judges a snapshot by. Not validated here: the values come from configuration
 * and host settings, and a bad value must not stop collection, so the detector clamps them instead (see
 * {@link Detector#evaluate}).
 *
 * @param closeWaitCount           CLOSE-WAIT sockets on one port that open CLOSE_WAIT_LEAK
 * @param closeWaitGrowthSnapshots ...or this many collections in a row in which that count grew (below 1: off)
 * @param finWait1Age              how long FIN-WAIT-1 sockets must stay on a port to open FIN_WAIT1_STUCK
 * @param orphanWarnPercent        orphaned sockets, in percent of tcp_max_orphans, that open a WARNING
 * @param orphanCriticalPercent    ...and a CRITICAL
 */
public record Thresholds(int closeWaitCount, int closeWaitGrowthSnapshots, Duration finWait1Age,
        int orphanWarnPercent, int orphanCriticalPercent) {

    private static final Thresholds DEFAULTS = new Thresholds(10, 3, Duration.ofSeconds(60), 25, 50);

    /** 10 sockets, 3 growing collections, 60 s, 25 % and 50 %. */
    public static Thresholds defaults() {
        return DEFAULTS;
    }
}
