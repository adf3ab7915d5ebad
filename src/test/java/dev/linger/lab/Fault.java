package dev.linger.lab;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One running instance of the fault generator ({@code src/main/lab/faults.c}) holding sockets in a
 * given TCP state inside a {@link LabHost}'s namespace. Closing it kills the generator, which releases the
 * sockets (the kernel then resets or times them out).
 */
public final class Fault implements AutoCloseable {

    static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration COMPILE_TIMEOUT = Duration.ofSeconds(120);
    /** Shipped beside the rehearsal script ({@code src/main/lab/linger-lab}), which compiles the same files. */
    private static final Path SOURCE_DIR = Path.of("src/main/lab");
    private static final Pattern READY_LINE = Pattern.compile("ready (\\d+)");

    /** The generator compiled once per JVM, in a leased directory removed at JVM exit (or by a later removeStale). */
    private static Path compiledBinary;
    private static Path compiledKeeper;
    private static Path compileDir;

    private final String mode;
    private final int port;
    private final Process process;
    private final int pid;
    private final long machinePid;
    private boolean closed;

    private Fault(String mode, int port, Process process, int pid, long machinePid) {
        this.mode = mode;
        this.port = port;
        this.process = process;
        this.pid = pid;
        this.machinePid = machinePid;
    }

    /**
     * Starts the generator through {@code launcher} (the namespace entry command) and waits until it reports that
     * the state is in place.
     */
    static Fault start(List<String> launcher, String mode, String address, int port, int count, Path stderrFile) {
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(binary().toString(), mode, address, Integer.toString(port), Integer.toString(count)));
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectError(ProcessBuilder.Redirect.appendTo(stderrFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the fault generator: " + e.getMessage(), e);
        }
        CompletableFuture<Integer> ready = awaitReadyLine(process.getInputStream(), mode);
        try {
            int pid = ready.get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            // The launcher may fork (entering a PID namespace does): the generator is then a descendant.
            long machinePid = Pids.machinePidOf(process.toHandle(), pid, READY_TIMEOUT);
            return new Fault(mode, port, process, pid, machinePid);
        } catch (ExecutionException | TimeoutException | IllegalStateException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            kill(process);
            String reason = e instanceof TimeoutException ? "did not report ready within " + READY_TIMEOUT
                    : e instanceof IllegalStateException ? "could not be found: " + e.getMessage()
                    : "exited before it was ready (exit code " + exitCodeOf(process) + ")";
            throw new IllegalStateException("Fault " + mode + " on port " + port + " " + reason + "; stderr: "
                    + readQuietly(stderrFile), e);
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            kill(process);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting fault " + mode, e);
        }
    }

    /**
     * Starts a fault in the machine's own network namespace, on loopback: for the runbooks that only work there
     * (the orphan limit is global). Only root tests that clean up after themselves use it.
     */
    public static Fault onThisMachine(String mode, int port, int count) {
        try {
            Path stderr = Files.createTempFile("linger-fault-", ".err");
            stderr.toFile().deleteOnExit();
            return start(List.of(), mode, "127.0.0.1", port, count, stderr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The pid the generator printed: the thread-group id (for {@code defunct}, the zombie leader's) as the host it
     * runs on sees it, so the pid a collection on that host reports. Inside a lab host (a PID namespace of its own)
     * that differs from {@link #machinePid()}.
     */
    public int pid() {
        return pid;
    }

    /** The generator's pid in the test JVM's PID namespace: for {@code /proc} here and for signals sent from here. */
    public long machinePid() {
        return machinePid;
    }

    /** The generator's parent pid as the host it runs on sees it (like {@link #pid()}); -1 when it is gone. */
    public long ppid() {
        return ProcessHandle.of(machinePid).flatMap(ProcessHandle::parent).map(parent -> Pids.innermost(parent.pid()))
                .orElse(-1L);
    }

    public String mode() {
        return mode;
    }

    public int port() {
        return port;
    }

    /** Kills the generator with SIGKILL; for {@code defunct} that takes down the whole thread group. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // Killed by its machine pid first: a forking launcher (nsenter -p) would not pass SIGKILL on.
        if (machinePid != process.pid()) {
            try {
                Pids.killAndAwait(KILL_TIMEOUT, machinePid);
            } catch (IllegalStateException e) {
                System.err.println("linger lab: " + e.getMessage());
            }
        }
        kill(process);
    }

    @Override
    public String toString() {
        return "Fault[" + mode + " port " + port + " pid " + pid + (machinePid != pid ? " (machine " + machinePid + ")" : "")
                + (closed ? " closed" : "") + "]";
    }

    private static CompletableFuture<Integer> awaitReadyLine(InputStream stdout, String mode) {
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    Matcher matcher = READY_LINE.matcher(line.strip());
                    if (matcher.matches()) {
                        ready.complete(Integer.parseInt(matcher.group(1)));
                        // Keep draining so a chatty generator could never block on a full pipe.
                    }
                }
            } catch (IOException e) {
                // the process was killed; the future below reports it
            }
            ready.completeExceptionally(new IllegalStateException("stdout closed"));
        }, "linger-lab fault " + mode);
        reader.setDaemon(true);
        reader.start();
        return ready;
    }

    private static void kill(Process process) {
        process.destroyForcibly();
        try {
            if (!process.waitFor(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                System.err.println("linger lab: fault generator " + process.pid() + " survived SIGKILL for "
                        + KILL_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String exitCodeOf(Process process) {
        try {
            return process.waitFor(1, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** Compiles faults.c on first use; later calls reuse the binary. */
    static synchronized Path binary() {
        if (compiledBinary == null) {
            compiledBinary = compile("faults.c", "faults");
        }
        return compiledBinary;
    }

    /** Compiles keeper.c on first use: the reaping init of each lab host's PID namespace. */
    static synchronized Path keeperBinary() {
        if (compiledKeeper == null) {
            compiledKeeper = compile("keeper.c", "keeper");
        }
        return compiledKeeper;
    }

    private static Path compile(String sourceName, String binaryName) {
        try {
            if (compileDir == null) {
                compileDir = LabHost.createJvmTempDir("linger-lab-faults-");
            }
            Path source = compileDir.resolve(sourceName);
            Path binary = compileDir.resolve(binaryName);
            Files.write(source, readSource(SOURCE_DIR.resolve(sourceName)));
            Commands.check(List.of(Commands.findExecutable("gcc").map(Path::toString).orElse("gcc"), "-O2",
                    "-pthread", "-o", binary.toString(), source.toString()), COMPILE_TIMEOUT);
            return binary;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot build " + sourceName + ": " + e.getMessage(), e);
        }
    }

    private static byte[] readSource(Path source) throws IOException {
        // Maven runs tests from the project directory, where the script's copy lives.
        if (!Files.isRegularFile(source)) {
            throw new IOException(source.toAbsolutePath() + " does not exist: run the tests from the project"
                    + " directory");
        }
        return Files.readAllBytes(source);
    }
}
