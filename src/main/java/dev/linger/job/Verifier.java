package dev.linger.job;

/** Checks, for a VERIFY step, whether the incident a job answers has cleared. */
public interface Verifier {

    /** Null when the incident's condition has cleared, otherwise why not, in words. */
    String verify();
}
