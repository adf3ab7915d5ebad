package dev.linger.lab;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs short external commands with a deadline and captures what they print. */
final class Commands {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** How long to wait for the output drains once the process is gone (a grandchild may hold the pipe). */
    private static final Duration DRAIN_GRACE = Duration.ofSeconds(5);

    private static final List<String> EXTRA_SEARCH_DIRS = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin",
            "/usr/bin", "/sbin", "/bin");

    private Commands() {
    }

    record Result(List<String> command, int exitCode, String stdout, String stderr) {

        boolean succeeded() {
            return exitCode == 0;
        }

        String describe() {
            String error = stderr.isBlank() ? stdout.strip() : stderr.strip();
            return String.join(" ", command) + " exited with " + exitCode + (error.isEmpty() ? "" : ": " + error);
        }
    }

    /** Runs the command and returns its result whatever the exit code; throws only when it cannot run or times out. */
    static Result run(List<String> command, Duration timeout) {
        return run(command, Map.of(), timeout);
    }

    /** Like {@link #run(List, Duration)}, with these variables added to the environment the command inherits. */
    static Result run(List<String> command, Map<String, String> environment, Duration timeout) {
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
        // Both streams are drained concurrently: a command filling one pipe while we read the other would block.
        Drain stdout = Drain.start(process.getInputStream(), "stdout of " + command.get(0));
        Drain stderr = Drain.start(process.getErrorStream(), "stderr of " + command.get(0));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(DRAIN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout
                        + "; stderr so far: " + stderr.text().strip());
            }
            return new Result(List.copyOf(command), process.exitValue(), stdout.await(), stderr.await());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + String.join(" ", command), e);
        }
    }

    /** Runs the command with the default timeout and returns its stdout; throws with its stderr when it fails. */
    static String check(List<String> command) {
        return check(command, DEFAULT_TIMEOUT);
    }

    static String check(List<String> command, Duration timeout) {
        Result result = run(command, timeout);
        if (!result.succeeded()) {
            throw new IllegalStateException(result.describe());
        }
        return result.stdout();
    }

    /** Looks a program up on PATH and in the usual system directories (a non-login PATH may lack the sbin ones). */
    static Optional<Path> findExecutable(String name) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(File.pathSeparator)));
        }
        dirs.addAll(EXTRA_SEARCH_DIRS);
        return dirs.stream()
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, name))
                .filter(candidate -> Files.isRegularFile(candidate) && Files.isExecutable(candidate))
                .findFirst();
    }

    /** Deletes a directory tree, best effort: it runs during cleanup, where throwing would hide the real failure. */
    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    System.err.println("linger lab: cannot delete " + path + ": " + e.getMessage());
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("linger lab: cannot delete " + root + ": " + e.getMessage());
        }
    }

    /** Reads a whole stream on a daemon thread. */
    private static final class Drain {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final Thread thread;

        private Drain(InputStream in, String name) {
            thread = new Thread(() -> copy(in), "linger-lab " + name);
            thread.setDaemon(true);
        }

        static Drain start(InputStream in, String name) {
            Drain drain = new Drain(in, name);
            drain.thread.start();
            return drain;
        }

        private void copy(InputStream in) {
            byte[] chunk = new byte[8192];
            try (in) {
                int read;
                while ((read = in.read(chunk)) >= 0) {
                    synchronized (buffer) {
                        buffer.write(chunk, 0, read);
                    }
                }
            } catch (IOException e) {
                // the process went away; what was read so far is all there is
            }
        }

        String text() {
            synchronized (buffer) {
                return buffer.toString(StandardCharsets.UTF_8);
            }
        }

        String await() throws InterruptedException {
            thread.join(DRAIN_GRACE.toMillis());
            return text();
        }
    }
}
