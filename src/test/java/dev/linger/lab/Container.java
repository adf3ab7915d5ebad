package dev.linger.lab;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.awaitility.core.ConditionTimeoutException;

import dev.linger.Waits;

/**
 * A container as Linger meets it: a long-lived process ({@code sleep}) in a network namespace and a UTS namespace
 * of its own (with the hostname given), no sshd inside, placed in a cgroup named the way a runtime names it, in
 * both the cgroup v1 {@code name=systemd} hierarchy and the v2 one, so {@code /proc/PID/cgroup} reads as it does
 * on a Docker host or a Kubernetes node. It lives either on this machine ({@link #onLocal}, for the LOCAL host)
 * or inside a lab host's PID namespace ({@link LabHost#container}), where that host's collector sees it.
 *
 * <p>{@link #close()} kills its processes and removes its cgroup directories; containers a failing test left open
 * go at JVM exit, and those of a JVM that died are removed by the next JVM's first container or lab host.
 */
public final class Container implements AutoCloseable {

    /** Hierarchies a container is placed in: v1 {@code name=systemd} and v2 (fact 8 in design.md). */
    static final List<Path> CGROUP_ROOTS = List.of(Path.of("/sys/fs/cgroup/systemd"),
            Path.of("/sys/fs/cgroup/unified"));
    /** Records of live containers' processes and cgroups, so a later JVM can remove those of one that died. */
    private static final Path RECORD_DIR = Path.of("/run/linger-lab/containers");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern POD_UID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern CGROUP_PATH = Pattern.compile("(/[A-Za-z0-9@:._-]+)+");
    /** The container's main process: sets the hostname (any bytes, as a hostile container could), brings up lo. */
    private static final String MAIN_SCRIPT = "printf '%s' \"$1\" > /proc/sys/kernel/hostname || exit 1;"
            + " ip link set lo up || exit 1; echo \"ready $$\"; exec sleep infinity";
    private static final Set<Container> OPEN = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean STALE_REMOVED = new AtomicBoolean();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Container::closeAllAtExit, "linger-lab containers"));
    }

    /** How a runtime names the container's cgroup; {@link #none()} is a bare {@code unshare} with no cgroup. */
    public record Shape(Kind kind, String containerId, String podUid, String cgroupPath) {

        public enum Kind { DOCKER, POD, NONE, CUSTOM }

        public Shape {
            Objects.requireNonNull(kind, "kind");
            if (containerId != null && !HEX64.matcher(containerId).matches()) {
                throw new IllegalArgumentException("A container id is 64 lowercase hex digits, not '" + containerId
                        + "'");
            }
            if (podUid != null && !POD_UID.matcher(podUid).matches()) {
                throw new IllegalArgumentException("A pod uid is a lowercase UUID, not '" + podUid + "'");
            }
            if (cgroupPath != null && (!CGROUP_PATH.matcher(cgroupPath).matches() || cgroupPath.contains("/.")
                    || cgroupPath.contains(".."))) {
                throw new IllegalArgumentException("A cgroup path is like /system.slice/x.scope, not '" + cgroupPath
                        + "'");
            }
        }

        /** {@code /system.slice/docker-<id>.scope} with a random id, as Docker with the systemd driver names it. */
        public static Shape docker() {
            return docker(randomId());
        }

        public static Shape docker(String containerId) {
            return new Shape(Kind.DOCKER, containerId, null, "/system.slice/docker-" + containerId + ".scope");
        }

        /**
         * {@code /kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod<uid, _ for ->.slice/
         * cri-containerd-<id>.scope}, as the kubelet's systemd driver and containerd name a pod's container.
         */
        public static Shape pod(String podUid) {
            return pod(podUid, randomId());
        }

        public static Shape pod(String podUid, String containerId) {
            Objects.requireNonNull(podUid, "podUid");
            String slice = "kubepods-besteffort-pod" + podUid.replace('-', '_') + ".slice";
            return new Shape(Kind.POD, containerId, podUid, "/kubepods.slice/kubepods-besteffort.slice/" + slice
                    + "/cri-containerd-" + containerId + ".scope");
        }

        /** A random pod uid, for {@link #pod(String)}. */
        public static String randomPodUid() {
            String hex = randomId();
            return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                    + hex.substring(16, 20) + "-" + hex.substring(20, 32);
        }

        /** No cgroup of its own: a namespace Linger can only show by its inode. */
        public static Shape none() {
            return new Shape(Kind.NONE, null, null, null);
        }

        /**
         * Any other runtime's path, e.g. {@code /machine.slice/libpod-<id>.scope} or
         * {@code /system.slice/crio-<id>.scope}; {@code containerId} may be null.
         */
        public static Shape cgroup(String cgroupPath, String containerId) {
            Objects.requireNonNull(cgroupPath, "cgroupPath");
            return new Shape(Kind.CUSTOM, containerId, null, cgroupPath);
        }

        public static String randomId() {
            byte[] bytes = new byte[32];
            ThreadLocalRandom.current().nextBytes(bytes);
            return HexFormat.of().formatHex(bytes);
        }
    }

    private final LabHost host;
    private final String hostname;
    private final Shape shape;
    private final Process main;
    private final long pid;
    private final long machinePid;
    private final long netnsInode;
    private final List<Path> cgroupDirs = new ArrayList<>();
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private Path record;
    /** Machine processes to kill should this JVM die first: "pid@start" (start tells a recycled pid apart). */
    private final List<String> recordedPids = new CopyOnWriteArrayList<>();

    private Container(LabHost host, String hostname, Shape shape, Process main, long pid, long machinePid) {
        this.host = host;
        this.hostname = hostname;
        this.shape = shape;
        this.main = main;
        this.pid = pid;
        this.machinePid = machinePid;
        this.netnsInode = Pids.namespaceInode(machinePid, "net");
    }

    /** A container on this machine: for tests of the LOCAL host. */
    public static Container onLocal(String hostname, Shape shape) {
        return start(null, List.of(), hostname, shape);
    }

    /** Called by {@link LabHost#container}: {@code enter} runs a command inside the lab host's PID namespace. */
    static Container inLab(LabHost host, List<String> enter, String hostname, Shape shape) {
        return start(host, enter, hostname, shape);
    }

    private static Container start(LabHost host, List<String> enter, String hostname, Shape shape) {
        Objects.requireNonNull(shape, "shape");
        checkHostname(hostname);
        LabHost.unavailableReason().ifPresent(reason -> {
            throw new IllegalStateException(reason);
        });
        if (shape.cgroupPath() != null) {
            for (Path root : CGROUP_ROOTS) {
                if (!Files.isRegularFile(root.resolve("cgroup.procs"))) {
                    throw new IllegalStateException("A container needs the cgroup hierarchy " + root
                            + " (design.md fact 8); it is not mounted here");
                }
            }
        }
        if (STALE_REMOVED.compareAndSet(false, true)) {
            LabHost.underLabLock(() -> {
                removeStaleLocked();
                return null;
            });
        }
        List<String> command = new ArrayList<>(enter);
        if (host != null) {
            // Like a runtime's shim, a parent inside the lab host keeps the container's process from showing ppid 0.
            command.add("--");
            command.addAll(LabHost.PARENT_INSIDE);
        }
        command.addAll(List.of(tool("unshare"), "--net", "--uts", "--", "/bin/sh", "-c", MAIN_SCRIPT,
                "linger-container", hostname));
        Process main;
        try {
            main = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start a container: " + e.getMessage(), e);
        }
        Container container = null;
        try {
            long inner = awaitReady(main.getInputStream());
            // Without a PID namespace to enter, unshare and sh exec: the child is the container's process itself.
            long machinePid = Pids.machinePidOf(main.toHandle(), inner, READY_TIMEOUT);
            container = new Container(host, hostname, shape, main, inner, machinePid);
            OPEN.add(container);
            container.remember(machinePid);
            container.placeInCgroups(machinePid);
            return container;
        } catch (RuntimeException | Error e) {
            if (container != null) {
                try {
                    container.close();
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
            } else {
                main.descendants().forEach(ProcessHandle::destroyForcibly);
                main.destroyForcibly();
            }
            throw e;
        }
    }

    /** The pid as the collector of its host sees it: the machine pid on LOCAL, the lab's pid in a lab host. */
    public long pid() {
        return pid;
    }

    /** The pid in the test JVM's PID namespace, for {@code /proc} here and for signals. */
    public long machinePid() {
        return machinePid;
    }

    /** The inode of its network namespace ({@code /proc/PID/ns/net}), the namespace's key in Linger. */
    public long netnsInode() {
        return netnsInode;
    }

    /** 64 hex digits, or null for {@link Shape#none()} (and custom shapes without an id). */
    public String containerId() {
        return shape.containerId();
    }

    /** The pod uid for {@link Shape#pod}, else null. */
    public String podUid() {
        return shape.podUid();
    }

    public String hostname() {
        return hostname;
    }

    public Shape shape() {
        return shape;
    }

    /** The cgroup path as {@code /proc/PID/cgroup} shows it, e.g. {@code /system.slice/docker-<id>.scope}, or null. */
    public String cgroupPath() {
        return shape.cgroupPath();
    }

    /** The host it lives in, or null on LOCAL. */
    public LabHost host() {
        return host;
    }

    /**
     * Runs a command inside the container's network and UTS namespaces (on a lab host also in its PID namespace and
     * /proc) and returns its stdout; throws with its stderr when it fails or runs longer than 30 s.
     */
    public String exec(String... command) {
        ensureOpen();
        if (command.length == 0) {
            throw new IllegalArgumentException("exec needs a command");
        }
        List<String> full = new ArrayList<>(enter());
        full.addAll(List.of(command));
        return Commands.check(full);
    }

    /** Sets a per-namespace {@code net.*} sysctl inside the container only. */
    public void setSysctl(String key, String value) {
        if (!key.matches("net(\\.[A-Za-z0-9_-]+)+") || value.contains("\n")) {
            throw new IllegalArgumentException("Only one-line net.* sysctls can be set in a container, not '" + key
                    + "'");
        }
        exec("sysctl", "-q", "-w", key + "=" + value);
    }

    /** N sockets on {@code 127.0.0.1:port} in CLOSE-WAIT with unread bytes, held by a process in the container. */
    public Fault closeWait(int port, int n) {
        return startFault("close-wait", port, n);
    }

    /** N orphaned FIN-WAIT-1 sockets with Send-Q > 0 on {@code 127.0.0.1:port} inside the container. */
    public Fault finWait1(int port, int n) {
        return startFault("fin-wait1", port, n);
    }

    /** CLOSE-WAIT sockets held by a process whose leader thread exited (a zombie leader), inside the container. */
    public Fault defunct(int port, int n) {
        return startFault("defunct", port, n);
    }

    /** N idle established connections on {@code 127.0.0.1:port} inside the container. */
    public Fault established(int port, int n) {
        return startFault("estab", port, n);
    }

    /**
     * The container restarted, as a runtime restarts one: this one is closed, and a new process with the same
     * hostname and cgroup (same container id) gets a new network namespace, so a new inode. Faults do not survive.
     */
    public Container restarted() {
        close();
        return host == null ? onLocal(hostname, shape) : host.container(hostname, shape);
    }

    /** Kills every process of the container (faults included) and removes its cgroup directories. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<RuntimeException> failures = new ArrayList<>();
        for (Fault fault : faults) {
            try {
                fault.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        try {
            Pids.killAndAwait(STOP_TIMEOUT, machinePid, main.pid());
        } catch (RuntimeException e) {
            failures.add(e);
        }
        try {
            removeCgroups(cgroupDirs);
        } catch (RuntimeException e) {
            failures.add(e);
        }
        if (failures.isEmpty() && record != null) {
            deleteQuietly(record);
        }
        OPEN.remove(this);
        if (!failures.isEmpty()) {
            IllegalStateException failure = new IllegalStateException("Cleaning up container " + hostname
                    + " failed: " + failures.get(0).getMessage(), failures.get(0));
            failures.stream().skip(1).forEach(failure::addSuppressed);
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "Container[" + hostname + " pid " + pid + (host != null ? " in " + host.namespace() : " on LOCAL")
                + " netns " + netnsInode + (shape.cgroupPath() != null ? " " + shape.cgroupPath() : "")
                + (closed.get() ? " closed" : "") + "]";
    }

    // ---- inside

    /** The nsenter command that puts a program in this container's namespaces. */
    private List<String> enter() {
        String proc = "/proc/" + machinePid + "/ns/";
        List<String> command = new ArrayList<>(host == null ? List.of(tool("nsenter")) : host.nsenterInto());
        command.addAll(List.of("--net=" + proc + "net", "--uts=" + proc + "uts", "--"));
        return command;
    }

    private Fault startFault(String mode, int port, int n) {
        ensureOpen();
        if (port < 1 || port > 65535 || n < 1) {
            throw new IllegalArgumentException("A fault needs a port in 1..65535 and n >= 1, not " + port + ", " + n);
        }
        List<String> launcher = new ArrayList<>(enter());
        if (host != null) {
            // nsenter forks into the PID namespace: a shell in between gives the generator a parent the lab sees.
            launcher.addAll(LabHost.PARENT_INSIDE);
        }
        Path stderr;
        try {
            stderr = Files.createTempFile("linger-container-fault-", ".err");
            stderr.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Fault fault = Fault.start(launcher, mode, "127.0.0.1", port, n, stderr);
        faults.add(fault);
        remember(fault.machinePid());
        // The collector names a namespace from any of its processes' cgroups: the fault's must say it too.
        ProcessHandle.of(fault.machinePid()).ifPresent(generator -> {
            generator.parent().ifPresent(parent -> {
                if (Pids.namespaceInode(parent.pid(), "net") == netnsInode) {
                    placeInCgroups(parent.pid());
                }
            });
            placeInCgroups(generator.pid());
        });
        return fault;
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    // ---- cgroups

    private synchronized void placeInCgroups(long process) {
        if (shape.cgroupPath() == null) {
            return;
        }
        if (cgroupDirs.isEmpty()) {
            synchronized (Container.class) {
                for (Path root : CGROUP_ROOTS) {
                    Path dir = root.resolve(shape.cgroupPath().substring(1));
                    try {
                        Files.createDirectories(dir);
                    } catch (IOException e) {
                        throw new UncheckedIOException("Cannot create cgroup " + dir + ": " + e.getMessage(), e);
                    }
                    cgroupDirs.add(dir);
                }
                record = writeRecord();
            }
        }
        for (Path dir : cgroupDirs) {
            try {
                Files.writeString(dir.resolve("cgroup.procs"), Long.toString(process), StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot move pid " + process + " into " + dir + ": " + e.getMessage(),
                        e);
            }
        }
    }

    /**
     * Kills whatever is left in the leaf cgroups, removes them, then every parent the shape named that is now empty
     * (an rmdir of a cgroup with members or children fails, so a parent another container uses stays).
     */
    private static void removeCgroups(List<Path> dirs) {
        List<String> problems = new ArrayList<>();
        for (Path leaf : dirs) {
            for (long member : members(leaf)) {
                ProcessHandle.of(member).ifPresent(ProcessHandle::destroyForcibly);
            }
            AtomicReference<IOException> busy = new AtomicReference<>();
            try {
                // The last member leaves the cgroup a moment after it dies: the kernel says when.
                Waits.upTo(STOP_TIMEOUT, "cgroup " + leaf + " removed").pollInterval(Duration.ofMillis(20))
                        .until(() -> {
                            try {
                                Files.deleteIfExists(leaf);
                                return true;
                            } catch (IOException stillBusy) {
                                busy.set(stillBusy);
                                return false;
                            }
                        });
            } catch (ConditionTimeoutException e) {
                problems.add("cannot remove " + leaf + ": " + busy.get().getMessage() + " (members " + members(leaf)
                        + ")");
            }
            Path root = CGROUP_ROOTS.stream().filter(leaf::startsWith).findFirst().orElse(leaf);
            for (Path parent = leaf.getParent(); parent != null && !parent.equals(root) && parent.startsWith(root);
                    parent = parent.getParent()) {
                if (!isLabShapedSlice(parent.getFileName().toString()) || !members(parent).isEmpty()) {
                    break;
                }
                try {
                    Files.deleteIfExists(parent);
                } catch (IOException inUse) {
                    break; // another container (or the real system) still has something under it
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("; ", problems));
        }
    }

    /** Parents the shapes create; any other directory (a real machine's slices) is never removed. */
    private static boolean isLabShapedSlice(String name) {
        return name.equals("system.slice") || name.equals("machine.slice") || name.startsWith("kubepods");
    }

    private static List<Long> members(Path cgroup) {
        try {
            return Files.readAllLines(cgroup.resolve("cgroup.procs")).stream()
                    .filter(line -> !line.isBlank())
                    .map(line -> Long.parseLong(line.strip()))
                    .collect(Collectors.toList());
        } catch (NoSuchFileException gone) {
            return List.of();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    // ---- records: which cgroups belong to a live JVM

    private synchronized void remember(long machineProcess) {
        ProcessHandle.of(machineProcess).ifPresent(p -> recordedPids.add(p.pid() + "@" + startOf(p)));
        record = writeRecord();
    }

    private synchronized Path writeRecord() {
        ProcessHandle self = ProcessHandle.current();
        Properties properties = new Properties();
        properties.setProperty("owner.pid", Long.toString(self.pid()));
        properties.setProperty("owner.start", startOf(self));
        properties.setProperty("cgroups", cgroupDirs.stream().map(Path::toString).collect(Collectors.joining(":")));
        properties.setProperty("pids", String.join(" ", recordedPids));
        try {
            Files.createDirectories(RECORD_DIR);
            Path file = RECORD_DIR.resolve(self.pid() + "-" + machinePid);
            Path partial = RECORD_DIR.resolve("." + file.getFileName() + ".partial");
            try (OutputStream out = Files.newOutputStream(partial)) {
                properties.store(out, "Linger lab container " + hostname);
            }
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot record container cgroups in " + RECORD_DIR + ": " + e.getMessage(),
                    e);
        }
    }

    /** Removes the cgroups (and kills the members) of containers whose JVM is gone. Call under the lab lock. */
    static void removeStaleLocked() {
        if (!Files.isDirectory(RECORD_DIR)) {
            return;
        }
        try (DirectoryStream<Path> records = Files.newDirectoryStream(RECORD_DIR, "[0-9]*-[0-9]*")) {
            for (Path file : records) {
                Properties properties = new Properties();
                try (InputStream in = Files.newInputStream(file)) {
                    properties.load(in);
                } catch (IOException unreadable) {
                    continue;
                }
                long owner = parseLong(properties.getProperty("owner.pid"));
                String start = properties.getProperty("owner.start", "");
                boolean alive = ProcessHandle.of(owner).filter(ProcessHandle::isAlive)
                        .filter(handle -> start.isEmpty() || start.equals(startOf(handle)))
                        .filter(handle -> !Pids.isDead(handle.pid()))
                        .isPresent();
                if (alive) {
                    continue;
                }
                for (String entry : properties.getProperty("pids", "").split(" ")) {
                    int at = entry.indexOf('@');
                    if (at > 0) {
                        String started = entry.substring(at + 1);
                        ProcessHandle.of(parseLong(entry.substring(0, at)))
                                .filter(p -> !started.isEmpty() && started.equals(startOf(p)))
                                .ifPresent(ProcessHandle::destroyForcibly);
                    }
                }
                List<Path> dirs = new ArrayList<>();
                for (String dir : properties.getProperty("cgroups", "").split(":")) {
                    Path path = Path.of(dir.isEmpty() ? "/nonexistent" : dir);
                    // Only ever a cgroup directory: a corrupted record must not point this anywhere else.
                    if (CGROUP_ROOTS.stream().anyMatch(root -> path.startsWith(root) && !path.equals(root))
                            && !dir.contains("..")) {
                        dirs.add(path);
                    }
                }
                try {
                    removeCgroups(dirs);
                    deleteQuietly(file);
                } catch (RuntimeException e) {
                    System.err.println("linger lab: stale container cgroups: " + e.getMessage());
                }
            }
        } catch (IOException e) {
            System.err.println("linger lab: cannot read " + RECORD_DIR + ": " + e.getMessage());
        }
    }

    private static void closeAllAtExit() {
        for (Container container : List.copyOf(OPEN)) {
            try {
                container.close();
            } catch (RuntimeException e) {
                System.err.println("linger lab: " + e.getMessage());
            }
        }
    }

    // ---- small things

    private static void checkHostname(String hostname) {
        Objects.requireNonNull(hostname, "hostname");
        int bytes = hostname.getBytes(StandardCharsets.UTF_8).length;
        // The kernel's limit; any other byte is allowed, as a hostile container may set one.
        if (bytes < 1 || bytes > 64 || hostname.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("A hostname is 1 to 64 bytes without NUL, not '" + hostname + "'");
        }
    }

    private static long awaitReady(InputStream stdout) {
        CompletableFuture<Long> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("ready ")) {
                        ready.complete(Long.parseLong(line.substring(6).strip()));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // killed; reported below
            }
            ready.completeExceptionally(new IllegalStateException("the container's process exited before it was"
                    + " ready"));
        }, "linger-lab container");
        reader.setDaemon(true);
        reader.start();
        try {
            return ready.get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("A container did not start: " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("A container did not report ready within " + READY_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting a container", e);
        }
    }

    private static String startOf(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toString).orElse("");
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            System.err.println("linger lab: cannot delete " + file + ": " + e.getMessage());
        }
    }

    private static String tool(String name) {
        return Commands.findExecutable(name).map(Path::toString).orElse(name);
    }
}
