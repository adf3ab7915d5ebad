package dev.linger.job;

/**
 * The worker no longer holds the job (the sweeper marked it INTERRUPTED): a guard found nothing, so the worker stops
 * at once and writes nothing more.
 */
final class LeaseLost extends RuntimeException {
    LeaseLost(long id) {
        super("job " + id + " is no longer held by this worker");
    }
}
