package dev.linger.job;

import dev.linger.i18n.Text;

/** Checks, for a VERIFY step, whether the incident a job answers has cleared. */
public interface Verifier {

    /** Null when the incident's condition has cleared, otherwise why not, as a fact to be said. */
    Text verify();
}
