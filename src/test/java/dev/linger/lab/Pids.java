package dev.linger.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.awaitility.core.ConditionTimeoutException;

import dev.linger.Waits;

/**
 * Pids across PID namespaces. A process inside a lab host's PID namespace has two pids: the one the machine sees
 * (signals, {@code /proc} of the test JVM) and the one the lab host sees (its collector, its {@code ps}). The
 * kernel lists both in {@code /proc/PID/status}, line {@code NSpid:}, outermost first.
 */
final class Pids {

    private static final Duration POLL = Duration.ofMillis(20);

    private Pids() {
    }

    /** The pids of a machine process from the machine's namespace inwards; empty when it is gone. */
    static List<Long> nsPids(long machinePid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(machinePid), "status"))) {
                if (line.startsWith("NSpid:")) {
                    List<Long> pids = new ArrayList<>();
                    for (String field : line.substring(6).strip().split("\\s+")) {
                        pids.add(Long.parseLong(field));
                    }
                    return pids;
                }
            }
        } catch (IOException | RuntimeException gone) {
            // exited meanwhile
        }
        return List.of();
    }

    /** The pid in the innermost PID namespace of the process (its own pid when it shares the machine's). */
    static long innermost(long machinePid) {
        List<Long> pids = nsPids(machinePid);
        return pids.isEmpty() ? -1 : pids.get(pids.size() - 1);
    }

    /**
     * The machine pid of the process that {@code root} or one of its descendants is, given the pid it has in its
     * innermost namespace (what it printed about itself). Waits briefly: a forking launcher such as
     * {@code nsenter -p} may not have its child listed yet.
     */
    static long machinePidOf(ProcessHandle root, long innerPid, Duration timeout) {
        try {
            return Waits.upTo(timeout, "a process under " + root.pid() + " with pid " + innerPid + " in its namespace")
                    .pollInterval(POLL)
                    .until(() -> Stream.concat(Stream.of(root), root.descendants())
                            .map(ProcessHandle::pid)
                            .filter(pid -> innermost(pid) == innerPid)
                            .findFirst(), Optional::isPresent)
                    .get();
        } catch (ConditionTimeoutException e) {
            // callers clean up on IllegalStateException
            throw new IllegalStateException("No process under " + root.pid() + " has pid " + innerPid
                    + " in its namespace", e);
        }
    }

    /** The inode of a namespace of a machine process, e.g. kind "net" or "uts"; -1 when it is gone. */
    static long namespaceInode(long machinePid, String kind) {
        try {
            String link = Files.readSymbolicLink(Path.of("/proc", Long.toString(machinePid), "ns", kind)).toString();
            // "net:[4026532285]"
            return Long.parseLong(link.substring(link.indexOf('[') + 1, link.indexOf(']')));
        } catch (IOException | RuntimeException gone) {
            return -1;
        }
    }

    /**
     * SIGKILLs the machine processes and waits until each has exited, up to {@code timeout} for each; throws
     * IllegalStateException naming the survivor otherwise. When a killed process is gone is the kernel's to say.
     */
    static void killAndAwait(Duration timeout, long... machinePids) {
        for (long pid : machinePids) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        for (long pid : machinePids) {
            Optional<ProcessHandle> handle = ProcessHandle.of(pid);
            try {
                Waits.upTo(timeout, "process " + pid + " gone after SIGKILL").pollInterval(POLL)
                        .until(() -> handle.isEmpty() || !handle.get().isAlive() || isDead(pid));
            } catch (ConditionTimeoutException e) {
                throw new IllegalStateException("Process " + pid + " survived SIGKILL for " + timeout, e);
            }
        }
    }

    /**
     * Gone, or a zombie with no live thread left: it holds nothing but its pid until its parent reaps it. A zombie
     * leader whose other threads live (the defunct fault) still holds its sockets, so it does not count.
     */
    static boolean isDead(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            if (state != 'Z' && state != 'X') {
                return false;
            }
            try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
                return tasks.count() <= 1;
            }
        } catch (IOException | RuntimeException gone) {
            return true;
        }
    }
}
