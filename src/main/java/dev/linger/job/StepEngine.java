package dev.linger.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import dev.linger.i18n.Text;
import dev.linger.runbook.Bindings;
import dev.linger.runbook.Param;
import dev.linger.runbook.RunbookDefinition;
import dev.linger.runbook.RunbookStep;
import dev.linger.runbook.Step;
import dev.linger.runbook.StepType;
import dev.linger.transport.CommandResult;
import dev.linger.transport.HostTarget;
import dev.linger.transport.Shell;
import dev.linger.transport.Transport;
import dev.linger.transport.TransportFailure;

/**
 * Runs a job's steps on one host, one at a time, and reports each through a {@link JobProgress}. It holds no lock
 * or transaction: every command goes through the transport, every record through the recorder. A failed step
 * ends the run. Sysctl changes are recorded before they are made and confirmed by reading the kernel back.
 */
public final class StepEngine {

    /**
     * @param guardSlack  how long past the steps' own bounds a host-side guard waits before it restores a value
     * @param outputCap   the most characters of stdout and of stderr a step reports
     * @param guardedKeys keys too dangerous to leave changed: a guard on the host restores them on its own
     */
    public record Settings(Duration commandTimeout, Duration guardSlack, int outputCap, Duration notePoll,
            long jobId, Set<String> guardedKeys) {
        public Settings {
            guardedKeys = Set.copyOf(guardedKeys);
        }
    }

    /** @param failedStep 0 when ok */
    public record Result(boolean ok, Text message, int failedStep) {
    }

    /** One recorded change to undo, newest first as the caller orders them (net per key). */
    public record Undo(String key, String expectedCurrent, String restoreTo, boolean persistent, String file,
            String previousFileContent) {
        public Undo {
            if (persistent && (file == null || !BARE_FILE.matcher(file).matches())) {
                throw new IllegalArgumentException("A persistent undo names a file directly in " + Step.SYSCTL_D
                        + ", not '" + file + "'");
            }
        }
    }

    private static final Pattern BARE_FILE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Duration STOP_CHECK = Duration.ofSeconds(1);
    private static final Text STOPPED = Text.of("run.stopped");

    private final Transport transport;
    /** The host's own transport: the namespace probe runs there, everything else through {@link #transport}. */
    private final Transport hostTransport;
    private final HostTarget host;
    private final Settings settings;
    /** The network namespace every command runs in; null for the host's own. */
    private final JobNamespace netns;

    public StepEngine(Transport transport, HostTarget host, Settings settings) {
        this(transport, host, settings, null);
    }

    StepEngine(Transport transport, HostTarget host, Settings settings, JobNamespace netns) {
        this.hostTransport = Objects.requireNonNull(transport);
        this.transport = netns == null ? transport : netns.around(transport);
        this.host = Objects.requireNonNull(host);
        this.settings = Objects.requireNonNull(settings);
        this.netns = netns;
    }

    public Result run(RunbookDefinition runbook, Bindings bindings, JobProgress recorder, Verifier verifier) {
        return run(runbook, bindings, recorder, verifier, Map.of());
    }

    /**
     * @param processes per SIGNAL_PROCESS step number, the process the plan showed: the step signals the pid only
     *                  while it is still that process (same command, same start), checked on the host in the same
     *                  command that signals
     */
    Result run(RunbookDefinition runbook, Bindings bindings, JobProgress recorder, Verifier verifier,
            Map<Integer, ProcessIdentity> processes) {
        Job job = new Job(runbook.steps(), bindings, recorder, Objects.requireNonNull(verifier), Map.copyOf(processes));
        if (!runbook.steps().isEmpty()) {
            Step first = runbook.steps().get(0).step();
            Result gone = namespaceGone(recorder, first.type(), first.command(bindings));
            if (gone != null) {
                return gone;
            }
        }
        for (int i = 0; i < runbook.steps().size(); i++) {
            int n = i + 1;
            if (recorder.stopRequested()) {
                return new Result(false, Text.of("run.stoppedBefore", n), n);
            }
            Outcome outcome = job.perform(n);
            if (!outcome.ok()) {
                return new Result(false, Text.of("run.stepFailed", n, outcome.message()), n);
            }
        }
        return new Result(true, Text.of("run.stepsDone", runbook.steps().size()), 0);
    }

    /**
     * Puts each key back, newest change first. Before touching a key it checks that the key still holds what the
     * job left, and stops on drift unless {@code overrideDrift}.
     */
    public Result rollback(List<Undo> undos, boolean overrideDrift, JobProgress recorder) {
        Set<String> filesRestored = new HashSet<>();
        if (!undos.isEmpty()) {
            // a rollback restores in the namespace the job changed, or not at all
            Result gone = namespaceGone(recorder, StepType.RESTORE_SYSCTL, "sysctl -w "
                    + Shell.word(undos.get(0).key() + "=" + normalize(undos.get(0).restoreTo())));
            if (gone != null) {
                return gone;
            }
        }
        for (int i = 0; i < undos.size(); i++) {
            int n = i + 1;
            if (recorder.stopRequested()) {
                return new Result(false, Text.of("run.stoppedBefore", n), n);
            }
            Undo undo = undos.get(i);
            boolean writeFile = undo.persistent() && !filesRestored.contains(undo.file());
            String command = (writeFile ? restoreFileScript(undo) + " && " : "")
                    + "sysctl -w " + Shell.word(undo.key() + "=" + normalize(undo.restoreTo()));
            recorder.stepStarted(n, StepType.RESTORE_SYSCTL, command);
            Outcome outcome;
            try {
                outcome = undo(n, undo, writeFile, command, overrideDrift, recorder);
            } catch (StepFailed f) {
                outcome = f.outcome;
            }
            finish(recorder, n, outcome);
            if (!outcome.ok()) {
                return new Result(false, Text.of("run.stepFailed", n, outcome.message()), n);
            }
            if (writeFile) {
                filesRestored.add(undo.file());
            }
        }
        return new Result(true, Text.of("run.keysRolledBack", undos.size()), 0);
    }

    /**
     * Before the first change: whether the job's namespace still exists on this boot. If not, step 1 is recorded as
     * failed with the reason (its command never ran) and the job ends; null when the job may go on.
     */
    private Result namespaceGone(JobProgress recorder, StepType firstType, String firstCommand) {
        if (netns == null) {
            return null;
        }
        String probe = netns.probeScript();
        CommandResult r;
        try {
            r = hostTransport.run(host, probe, settings.commandTimeout());
        } catch (TransportFailure e) {
            recorder.stepStarted(1, firstType, firstCommand);
            Text why = Text.of("run.cannotRun", host.name(), String.valueOf(e.getMessage()));
            recorder.stepFinished(1, false, null, null, null, why);
            return new Result(false, Text.of("run.stepFailed", 1, why), 1);
        }
        JobNamespace.Probe p = JobNamespace.parseProbe(r.exitCode(), r.stdout(), r.stderr());
        if (p.state() == JobNamespace.State.OK) {
            return null;
        }
        Text where = netns.whereText();
        Text why = switch (p.state()) {
            case GONE -> Text.of("job.netnsGone", where, netns.inode());
            case REPLACED -> Text.of("job.netnsReplaced", where, netns.inode(), p.replacedBy());
            case REBOOTED -> Text.of("job.netnsRebooted", where, netns.inode());
            default -> Text.of("job.netnsUnknown", where, netns.inode(), r.exitCode());
        };
        recorder.stepStarted(1, firstType, firstCommand);
        recorder.stepFinished(1, false, r.exitCode(), cap(r.stdout()), cap(r.stderr()), why);
        return new Result(false, why, 1);
    }

    /** Whether the runbook's first WAIT_SOCKETS condition already holds (e.g. the port drained while the job waited). */
    public Optional<Text> alreadyDrained(RunbookDefinition runbook, Bindings bindings) {
        Optional<Step.WaitSockets> wait = runbook.steps().stream().map(RunbookStep::step)
                .filter(Step.WaitSockets.class::isInstance).map(Step.WaitSockets.class::cast).findFirst();
        if (wait.isEmpty() || unbound(wait.get(), bindings) != null) {
            return Optional.empty();
        }
        Step.WaitSockets w = wait.get();
        try {
            CommandResult r = transport.run(host, w.command(bindings), settings.commandTimeout());
            int count = lines(r.stdout());
            if (r.exitCode() == 0 && count <= w.atMost()) {
                return Optional.of(Text.of("run.alreadyDrained", bindings.resolve(w.port()).text(), count,
                        w.state().name(), w.atMost()));
            }
        } catch (TransportFailure e) {
            // unknown is not drained: the job runs and its own steps report the failure
        }
        return Optional.empty();
    }

    /** How a step ended: the output of the command that decided it, and a message for the step log. */
    record Outcome(boolean ok, Integer exitCode, String stdout, String stderr, Text message) {
        static Outcome ok(CommandResult r, Text message) {
            return r == null ? new Outcome(true, null, null, null, message)
                    : new Outcome(true, r.exitCode(), r.stdout(), r.stderr(), message);
        }
    }

    /** Ends a step as failed; thrown from deep inside a step so each step reads as its happy path. */
    static final class StepFailed extends Exception {
        private static final long serialVersionUID = 1L;
        final transient Outcome outcome;

        StepFailed(CommandResult r, Text message) {
            super(message.key(), null, false, false);
            this.outcome = r == null ? new Outcome(false, null, null, null, message)
                    : new Outcome(false, r.exitCode(), r.stdout(), r.stderr(), message);
        }
    }

    /** One run of a runbook: its bindings, the values it recorded before changing them, and the guards it armed. */
    private final class Job {
        private final List<RunbookStep> steps;
        private final Bindings params;
        private final JobProgress recorder;
        private final Verifier verifier;
        /** The first value this job saw for each key: what RESTORE_SYSCTL and the guards put back. */
        private final Map<String, String> recorded = new LinkedHashMap<>();
        private final Set<String> armed = new HashSet<>();
        private final Map<Integer, ProcessIdentity> processes;

        Job(List<RunbookStep> steps, Bindings params, JobProgress recorder, Verifier verifier,
                Map<Integer, ProcessIdentity> processes) {
            this.steps = steps;
            this.params = params;
            this.recorder = recorder;
            this.verifier = verifier;
            this.processes = processes;
        }

        Outcome perform(int n) {
            Step step = steps.get(n - 1).step();
            Bindings b = new Bindings(params.params(), recorded);
            ProcessIdentity process = step instanceof Step.SignalProcess sp
                    && processes.containsKey(n) && processes.get(n).pid().equals(b.resolve(sp.pid()).text())
                    ? processes.get(n) : null;
            // the log shows the exact command: with a planned process, the identity check and the signal in one
            String command = process != null ? process.signalScript(((Step.SignalProcess) step).signal())
                    : step.command(b);
            recorder.stepStarted(n, step.type(), command);
            Outcome outcome;
            try {
                String unbound = unbound(step, b);
                if (unbound != null) {
                    throw new StepFailed(null, Text.of("run.paramNoValue", unbound));
                }
                outcome = switch (step.type()) {
                    case READ_SYSCTL -> read((Step.ReadSysctl) step);
                    case SET_SYSCTL -> set(n, (Step.SetSysctl) step, command);
                    case RESTORE_SYSCTL -> restore(n, (Step.RestoreSysctl) step, command);
                    case PERSIST_SYSCTL -> persist(n, (Step.PersistSysctl) step, command);
                    case WAIT_SOCKETS -> waitSockets(n, (Step.WaitSockets) step, command);
                    case KILL_SOCKETS -> killSockets(command);
                    case SIGNAL_PROCESS -> process != null ? signalIfSame((Step.SignalProcess) step, process, command)
                            : signal((Step.SignalProcess) step, command);
                    case VERIFY -> verify((Step.Verify) step);
                    case NOTE -> note(n);
                    case SHELL -> Outcome.ok(mustSucceed(command), Text.of("run.exitZero"));
                };
            } catch (StepFailed f) {
                outcome = f.outcome;
            } catch (RuntimeException e) {
                // a verifier or recorder bug must still end the step in the log
                outcome = new Outcome(false, null, null, null, Text.of("run.internalError", String.valueOf(e)));
            }
            finish(recorder, n, outcome);
            return outcome;
        }

        private Outcome read(Step.ReadSysctl s) throws StepFailed {
            CommandResult r = sysctlRead(s.key());
            String value = normalize(r.stdout());
            recorded.putIfAbsent(s.key(), value);
            return Outcome.ok(r, Text.of("run.valueRead", s.key(), value));
        }

        private Outcome set(int n, Step.SetSysctl s, String command) throws StepFailed {
            String key = s.key();
            String intended = normalize(params.resolve(s.value()).text());
            String before = sysctlValue(key);
            recorded.putIfAbsent(key, before);
            if (settings.guardedKeys().contains(key)) {
                arm(key, recorded.get(key), intended, guardBound(n - 1, key));
                armed.add(key);
            }
            long id = recorder.sysctlChanging(n, key, before, intended, false, null, null);
            return confirm(recorder, id, key, before, intended, exec(command));
        }

        private Outcome restore(int n, Step.RestoreSysctl s, String command) throws StepFailed {
            String key = s.key();
            String target = recorded.get(key);
            if (target == null) {
                throw new StepFailed(null, Text.of("run.noRecordedValue", key));
            }
            String before = sysctlValue(key);
            long id = recorder.sysctlChanging(n, key, before, target, false, null, null);
            Outcome done = confirm(recorder, id, key, before, target, exec(command));
            if (!armed.remove(key)) {
                return done;
            }
            Text warning = disarm(key);
            return warning == null ? done
                    : new Outcome(true, done.exitCode(), done.stdout(), done.stderr(), Text.of("run.withWarning", done.message(), warning));
        }

        private Outcome persist(int n, Step.PersistSysctl s, String command) throws StepFailed {
            if (netns != null) {
                // the planner refuses it already; a stored plan from before must not slip through either
                throw new StepFailed(null, Text.of("job.netnsPersistRefused", netns.whereText()));
            }
            String path = Step.SYSCTL_D + s.file();
            // Read everything first, so a missing key fails the step before anything is recorded or written.
            String previous = previousContent(path);
            Map<String, String> before = new LinkedHashMap<>();
            for (String key : s.entries().keySet()) {
                before.put(key, sysctlValue(key));
                recorded.putIfAbsent(key, before.get(key));
            }
            Map<String, Long> ids = new LinkedHashMap<>();
            s.entries().forEach((key, value) -> ids.put(key, recorder.sysctlChanging(n, key, before.get(key),
                    normalize(params.resolve(value).text()), true, s.file(), previous)));
            CommandResult r = exec(command);
            List<Text> kept = new ArrayList<>();
            for (Map.Entry<String, String> e : s.entries().entrySet()) {
                String intended = normalize(params.resolve(e.getValue()).text());
                String after = sysctlValue(e.getKey());
                recorder.sysctlConfirmed(ids.get(e.getKey()), after);
                if (!after.equals(intended)) {
                    kept.add(Text.of("run.keptValue", e.getKey(), after, intended));
                }
            }
            if (r.exitCode() != 0) {
                throw new StepFailed(r, Text.of("run.writeFailed", path, r.exitCode()));
            }
            if (!kept.isEmpty()) {
                throw new StepFailed(r, Text.of("run.kernelKeptOthers", kept));
            }
            return Outcome.ok(r, Text.of("run.wroteAndApplied", path, s.entries().size()));
        }

        private String previousContent(String path) throws StepFailed {
            String p = Shell.quote(path);
            CommandResult r = mustSucceed("if [ -L " + p + " ]; then echo symlink; elif [ -e " + p
                    + " ]; then echo present; cat " + p + "; else echo missing; fi");
            if (r.stdout().equals("symlink\n")) {
                // it would read one file and replace another: refused before anything is recorded or written
                throw new StepFailed(r, Text.of("run.symlinkRefused", path));
            }
            if (r.stdout().startsWith("present\n")) {
                return r.stdout().substring("present\n".length());
            }
            if (r.stdout().equals("missing\n")) {
                return null;
            }
            throw new StepFailed(r, Text.of("run.cannotTellExists", path));
        }

        private Outcome waitSockets(int n, Step.WaitSockets s, String command) throws StepFailed {
            String port = params.resolve(s.port()).text();
            long deadline = System.nanoTime() + Duration.ofSeconds(s.timeoutSeconds()).toNanos();
            while (true) {
                stopIfRequested();
                CommandResult r = mustSucceed(command);
                int count = lines(r.stdout());
                recorder.stepProgress(n, Text.of("run.progressRemain", count, s.state().name(), port));
                if (count <= s.atMost()) {
                    return Outcome.ok(r, Text.of("run.socketsRemain", count, s.atMost()));
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new StepFailed(r, Text.of("run.stillRemain", count, s.state().name(), port,
                            (long) s.timeoutSeconds()));
                }
                pause(Duration.ofNanos(Math.min(left, Duration.ofSeconds(s.pollSeconds()).toNanos())));
            }
        }

        private Outcome killSockets(String command) throws StepFailed {
            CommandResult r = mustSucceed(command);
            return Outcome.ok(r, Text.of("run.socketsDestroyed", lines(r.stdout())));
        }

        private Outcome signal(Step.SignalProcess s, String command) throws StepFailed {
            String pid = params.resolve(s.pid()).text();
            CommandResult alive = exec("kill -0 " + Shell.word(pid));
            if (alive.exitCode() != 0) {
                throw new StepFailed(alive, Text.of("run.processGone", pid));
            }
            return Outcome.ok(mustSucceed(command), Text.of("run.signalSent", String.valueOf(s.signal()), pid));
        }

        /** Signals the planned process only if the pid still belongs to it; pid reuse refuses the step. */
        private Outcome signalIfSame(Step.SignalProcess s, ProcessIdentity p, String command) throws StepFailed {
            CommandResult r = exec(command);
            if (r.exitCode() == ProcessIdentity.GONE) {
                throw new StepFailed(r, Text.of("run.processGone", p.pid()));
            }
            if (r.exitCode() == ProcessIdentity.REUSED) {
                String now = r.stdout().strip();
                int space = now.lastIndexOf(' ');
                String comm = space < 0 ? now : now.substring(0, space);
                throw new StepFailed(r, Text.of("run.pidReused", p.pid(), comm.isEmpty() ? "?" : comm,
                        space < 0 ? "?" : now.substring(space + 1), p.command(), String.valueOf(p.startTicks())));
            }
            if (r.exitCode() != 0) {
                throw new StepFailed(r, Text.of("run.commandFailed", r.exitCode()));
            }
            return Outcome.ok(r, Text.of("run.signalSent", String.valueOf(s.signal()), p.pid()));
        }

        private Outcome verify(Step.Verify s) throws StepFailed {
            pause(Duration.ofSeconds(s.settleSeconds()));
            Text problem = verifier.verify();
            if (problem != null) {
                throw new StepFailed(null, problem);
            }
            return Outcome.ok(null, Text.of("run.verified"));
        }

        private Outcome note(int n) throws StepFailed {
            while (!recorder.noteConfirmed(n)) {
                stopIfRequested();
                sleep(settings.notePoll());
            }
            return Outcome.ok(null, Text.of("run.confirmed"));
        }

        /**
         * How long the guard for a SET at {@code index} waits: the slack plus the longest the steps up to the
         * key's RESTORE_SYSCTL (or the end) may legitimately take. NOTE steps wait for people and add nothing:
         * the value must not stay changed however long a person takes.
         */
        private long guardBound(int index, String key) {
            long seconds = ceilSeconds(settings.guardSlack());
            for (RunbookStep later : steps.subList(index + 1, steps.size())) {
                Step s = later.step();
                if (s instanceof Step.RestoreSysctl r && r.key().equals(key)) {
                    break;
                }
                if (s instanceof Step.WaitSockets w) {
                    seconds += w.timeoutSeconds();
                } else if (s instanceof Step.Verify v) {
                    seconds += v.settleSeconds();
                }
            }
            return seconds;
        }

        private void stopIfRequested() throws StepFailed {
            if (recorder.stopRequested()) {
                throw new StepFailed(null, STOPPED);
            }
        }

        /** Sleeps, looking at the stop flag at least every second. */
        private void pause(Duration d) throws StepFailed {
            long end = System.nanoTime() + d.toNanos();
            for (long left = d.toNanos(); left > 0; left = end - System.nanoTime()) {
                stopIfRequested();
                sleep(Duration.ofNanos(Math.min(left, STOP_CHECK.toNanos())));
            }
        }
    }

    private Outcome undo(int n, Undo u, boolean writeFile, String command, boolean overrideDrift,
            JobProgress recorder) throws StepFailed {
        String target = normalize(u.restoreTo());
        String current = sysctlValue(u.key());
        if (current.equals(target)) {
            if (!writeFile) {
                return Outcome.ok(null, Text.of("run.alreadyValue", target));
            }
            // the runtime value is back, but the file would bring the job's value back at the next boot
        } else if (!current.equals(normalize(u.expectedCurrent())) && !overrideDrift) {
            throw new StepFailed(null, Text.of("run.drift", u.key(), current, normalize(u.expectedCurrent())));
        }
        long id = recorder.sysctlChanging(n, u.key(), current, target, u.persistent(), u.file(),
                u.previousFileContent());
        return confirm(recorder, id, u.key(), current, target, exec(command));
    }

    /** Puts the file back as it was before the job, atomically, or removes it if it did not exist. */
    private static String restoreFileScript(Undo u) {
        String path = Step.SYSCTL_D + u.file();
        if (u.previousFileContent() == null) {
            return Step.refuseSymlinks(path) + "rm -f " + Shell.quote(path);
        }
        String tmp = Shell.quote(path + ".linger-tmp");
        return Step.refuseSymlinks(path, path + ".linger-tmp") + "umask 022 && printf '%s' " + Shell.quote(u.previousFileContent()) + " > " + tmp + " && mv -f " + tmp
                + " " + Shell.quote(path);
    }

    // ---- the host-side guard

    /**
     * Starts, on the host, a process in its own session that sets {@code key} back to {@code restoreTo} after
     * {@code seconds}, only if the key still holds {@code intended} (never over someone else's change). It
     * survives Linger dying and the connection dropping; it writes its own pid, which is its process group.
     */
    private void arm(String key, String restoreTo, String intended, long seconds) throws StepFailed {
        String guard = "echo $$ > \"$0\"; sleep " + seconds + "; set -- $(sysctl -n " + Shell.quote(key) + ");"
                + " if [ \"$*\" = " + Shell.quote(intended) + " ]; then sysctl -w "
                + Shell.quote(key + "=" + restoreTo) + "; fi; rm -f \"$0\"";
        String script = disarmScript(key)
                + "d=/run; [ -d /run ] && [ -w /run ] || d=/tmp; p=\"$d/\"" + Shell.quote(guardFile(key)) + "\n"
                + "setsid sh -c " + Shell.quote(guard) + " \"$p\" </dev/null >/dev/null 2>&1 &\n"
                + "i=0; while [ ! -s \"$p\" ] && [ $i -lt 30 ]; do sleep 0.1; i=$((i+1)); done\n"
                + "pid=$(cat \"$p\" 2>/dev/null) && [ -n \"$pid\" ] && kill -0 \"$pid\" && echo \"guard $pid $p\"\n";
        CommandResult r = exec(script);
        if (r.exitCode() != 0) {
            throw new StepFailed(r, Text.of("run.armFailed", key));
        }
    }

    /** Null when the guard is gone; otherwise a warning (the guard then restores on its own, which is safe). */
    private Text disarm(String key) {
        try {
            CommandResult r = transport.run(host, disarmScript(key), settings.commandTimeout());
            return r.exitCode() == 0 ? null
                    : Text.of("run.disarmFailed", key, r.stderr().strip().replace("\u0000", "\\0"));
        } catch (TransportFailure e) {
            return Text.of("run.disarmFailed", key, String.valueOf(e.getMessage()));
        }
    }

    /**
     * Kills this job's guard for {@code key} with its sleep (the whole process group) and removes its pid file. A
     * pid is trusted only if that process's command line names the pid file: a stale or planted file must never
     * make it kill something else.
     */
    private String disarmScript(String key) {
        String name = Shell.quote(guardFile(key));
        return "for p in /run/" + name + " /tmp/" + name + "; do\n"
                + "  [ -e \"$p\" ] || continue\n"
                + "  pid=$(cat \"$p\")\n"
                + "  case \"$pid\" in ''|*[!0-9]*) ;; *)\n"
                + "    if [ \"$pid\" -gt 1 ] && grep -qaF \"$p\" /proc/\"$pid\"/cmdline 2>/dev/null; then"
                + " kill -- -\"$pid\"; fi;;\n"
                + "  esac\n"
                + "  rm -f \"$p\"\n"
                + "done\n";
    }

    String guardFile(String key) {
        return "linger-guard-" + settings.jobId() + "-" + key + ".pid";
    }

    // ---- commands and sysctls

    /** Reads the key back, records what the kernel holds, and fails if the command failed or the value differs. */
    private Outcome confirm(JobProgress recorder, long id, String key, String before, String intended,
            CommandResult r) throws StepFailed {
        String after = sysctlValue(key);
        recorder.sysctlConfirmed(id, after);
        if (r.exitCode() != 0) {
            throw new StepFailed(r, Text.of("run.setFailed", key, r.exitCode(), after));
        }
        if (!after.equals(intended)) {
            throw new StepFailed(r, Text.of("run.kernelKept", key, intended, after));
        }
        return Outcome.ok(r, Text.of("run.valueChanged", key, before, after));
    }

    /** The key's value with whitespace collapsed; fails the step when the host has no such key. */
    private String sysctlValue(String key) throws StepFailed {
        return normalize(sysctlRead(key).stdout());
    }

    private CommandResult sysctlRead(String key) throws StepFailed {
        CommandResult r = exec("sysctl -n " + Shell.word(key));
        if (r.exitCode() != 0) {
            throw new StepFailed(r, Text.of("run.keyMissing", key));
        }
        return r;
    }

    private CommandResult exec(String script) throws StepFailed {
        CommandResult r;
        try {
            r = transport.run(host, script, settings.commandTimeout());
        } catch (TransportFailure e) {
            throw new StepFailed(null, Text.of("run.cannotRun", host.name(), String.valueOf(e.getMessage())));
        }
        if (netns != null && JobNamespace.failure(r.exitCode(), r.stderr()).isPresent()) {
            throw new StepFailed(r, Text.of("job.netnsLost", netns.whereText(), netns.inode()));
        }
        return r;
    }

    private CommandResult mustSucceed(String script) throws StepFailed {
        CommandResult r = exec(script);
        if (r.exitCode() != 0) {
            throw new StepFailed(r, Text.of("run.commandFailed", r.exitCode()));
        }
        return r;
    }

    private void finish(JobProgress recorder, int n, Outcome o) {
        recorder.stepFinished(n, o.ok(), o.exitCode(), cap(o.stdout()), cap(o.stderr()), o.message());
    }

    private String cap(String text) {
        int max = settings.outputCap();
        return text == null || text.length() <= max ? text : text.substring(0, Math.max(0, max - 1)) + "…";
    }

    /** The first parameter a step refers to that has no value, or null: a placeholder must never run. */
    private static String unbound(Step step, Bindings b) {
        return step.paramRefs().stream().filter(name -> !b.params().containsKey(name)).findFirst()
                .map(Param::ref).orElse(null);
    }

    static int lines(String text) {
        return (int) text.lines().filter(line -> !line.isBlank()).count();
    }

    /** Sysctl values compare with whitespace collapsed: the kernel separates multi-number values with tabs. */
    static String normalize(String value) {
        return value == null ? null : value.strip().replaceAll("\\s+", " ");
    }

    private static long ceilSeconds(Duration d) {
        return (d.toMillis() + 999) / 1000;
    }

    private static void sleep(Duration d) throws StepFailed {
        try {
            Thread.sleep(Math.max(1, d.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailed(null, Text.of("run.interrupted"));
        }
    }
}
