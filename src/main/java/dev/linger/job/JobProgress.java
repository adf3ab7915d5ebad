package dev.linger.job;

import dev.linger.i18n.Text;
import dev.linger.runbook.StepType;

/**
 * Where the {@link StepEngine} reports a job's progress and asks whether to go on. The engine holds no lock or
 * transaction while it calls these; the workers' implementation writes each call through {@link StepRecords}.
 */
public interface JobProgress {

    /** Step {@code n} (1-based) begins; {@code command} is null for steps that run nothing (VERIFY, NOTE). */
    void stepStarted(int n, StepType type, String command);

    /** A progress line while a step waits, e.g. {@code run.progressRemain}. */
    void stepProgress(int n, Text progress);

    void stepFinished(int n, boolean ok, Integer exitCode, String stdout, String stderr, Text message);

    /**
     * Called BEFORE the change is made on the host, so a crash in between still leaves a record.
     *
     * @param previousFileContent null when the file did not exist
     * @return the change's id, for {@link #sysctlConfirmed}
     */
    long sysctlChanging(int n, String key, String before, String intended, boolean persistent, String file,
            String previousFileContent);

    /** The value read back from the kernel after the change. */
    void sysctlConfirmed(long changeId, String after);

    /** Whether a person confirmed NOTE step {@code n}. */
    boolean noteConfirmed(int n);

    /** Whether someone asked the job to stop. */
    boolean stopRequested();
}
