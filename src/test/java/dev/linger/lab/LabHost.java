package dev.linger.lab;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.awaitility.core.ConditionTimeoutException;

import dev.linger.Waits;

/**
 * A test host: a network namespace of its own with an sshd inside, reached from the initial namespace over a
 * veth pair ({@code 10.231.N.1} here, {@link #address()} = {@code 10.231.N.2} there). Commands run over SSH on
 * it see the namespace's sockets and per-namespace sysctls, so the fault generators can put real kernel sockets
 * in the states Linger reports without touching the machine's own.
 *
 * <p>A lab host is a machine of its own: it also has a PID namespace and a {@code /proc} of its own (design.md
 * fact 10), whose init is a reaping keeper ({@code src/main/lab/keeper.c --init}). sshd, faults, {@link #exec}
 * and {@link #container containers} all run inside it, so a collection over SSH sees exactly the lab's processes
 * and namespaces. Pids the lab sees differ from the machine's: {@link Fault#pid()} is the lab's, {@link
 * Fault#machinePid()} the machine's.
 *
 * <p>Everything a host creates (namespace, veth, sshd and fault processes, temp dir) goes away on {@link #close()},
 * at JVM exit for hosts a failing test left open, or, after a crash, on the next JVM's first {@link #start}.
 * Concurrent JVMs (a Maven run beside an IDE run) coordinate through leases in {@code /run/linger-lab}, so one
 * never removes what another still uses.
 *
 * <p>Needs root on Linux with iproute2, openssh-server and gcc; see {@link #unavailableReason()}.
 */
public final class LabHost implements AutoCloseable {

    private static final String NAMESPACE_PREFIX = "lgr-";
    private static final String LINK_PREFIX = "lgr";
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]{1,16}");
    private static final String SUBNET_PREFIX = "10.231.";
    private static final Pattern SUBNET_IN_USE = Pattern.compile("inet 10\\.231\\.(\\d+)\\.");
    private static final int MAX_SUBNET = 250;
    private static final int SSH_PORT = 22;
    private static final String USER = "root";
    private static final String LOOPBACK = "127.0.0.1";

    private static final Path SSHD = Path.of("/usr/sbin/sshd");
    /** sshd refuses to start without its privilege separation directory; it lives on the shared /run. */
    private static final Path PRIVSEP_DIR = Path.of("/run/sshd");
    private static final Path NETNS_DIR = Path.of("/run/netns");
    /** On tmpfs like /run/netns, so leases vanish on reboot together with the namespaces they describe. */
    private static final Path LEASE_DIR = Path.of("/run/linger-lab");
    private static final Pattern LEASE_NAME = Pattern.compile("[0-9a-f]{4}");

    private static final Duration SSH_START_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SSH_PROBE_TIMEOUT = Duration.ofMillis(500);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
    private static final int LOG_TAIL_CHARS = 4000;

    private static final Set<LabHost> OPEN_HOSTS = ConcurrentHashMap.newKeySet();
    private static final List<Path> DIRS_TO_DELETE_AT_EXIT = new CopyOnWriteArrayList<>();
    private static final List<Path> LEASES_TO_DELETE_AT_EXIT = new CopyOnWriteArrayList<>();
    private static final AtomicBoolean STALE_REMOVED = new AtomicBoolean();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(LabHost::cleanUpAtExit, "linger-lab cleanup"));
    }

    private final String id;
    private final String namespace;
    private final String hostLink;
    private final String namespaceLink;
    private final String hostSideAddress;
    private final String address;
    private final Path dir;
    private final Path hostKey;
    private final Path clientKey;
    private boolean cleanLoginShell;
    private final Path sshdConfig;
    private final Path sshdLog;
    private final Path lease;
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final List<Container> containers = new CopyOnWriteArrayList<>();
    private final List<Crowd> crowds = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** {@code unshare --pid --fork --kill-child}; its child, the keeper, is PID 1 of the lab. */
    private Process init;
    private volatile long initPid = -1;
    /** nsenter, whose child is the listening sshd ({@link #sshdPid}, a machine pid). */
    private Process sshd;
    private long sshdPid;
    private volatile String hostKeyFingerprint;

    private LabHost(String label, Lease reserved, Path dir) {
        this.id = reserved.id();
        this.namespace = NAMESPACE_PREFIX + label + "-" + id;
        this.hostLink = LINK_PREFIX + id + "a";
        this.namespaceLink = LINK_PREFIX + id + "b";
        this.hostSideAddress = SUBNET_PREFIX + reserved.subnet() + ".1";
        this.address = SUBNET_PREFIX + reserved.subnet() + ".2";
        this.dir = dir;
        this.hostKey = dir.resolve("host_ed25519");
        this.clientKey = dir.resolve("client_ed25519");
        this.sshdConfig = dir.resolve("sshd_config");
        this.sshdLog = dir.resolve("sshd.stderr");
        this.lease = LEASE_DIR.resolve(id);
    }

    /**
     * Empty when this JVM can build lab hosts; otherwise one sentence saying what is missing. Tests fail (never
     * skip) with it, so a CI image without root or the tools shows up as red rather than silently green.
     */
    public static Optional<String> unavailableReason() {
        List<String> problems = new ArrayList<>();
        Optional<Long> uid = effectiveUid();
        if (uid.isEmpty()) {
            problems.add("cannot tell the effective uid (is this Linux?)");
        } else if (uid.get() != 0) {
            problems.add("it runs as uid " + uid.get() + ", not root (creating network namespaces needs root)");
        }
        List<String> missing = new ArrayList<>();
        if (Commands.findExecutable("ip").isEmpty()) {
            missing.add("ip (iproute2)");
        }
        if (!Files.isExecutable(SSHD)) {
            missing.add(SSHD + " (openssh-server)");
        }
        if (Commands.findExecutable("ssh-keygen").isEmpty()) {
            missing.add("ssh-keygen (openssh-client)");
        }
        if (Commands.findExecutable("gcc").isEmpty()) {
            missing.add("gcc");
        }
        if (!missing.isEmpty()) {
            problems.add("missing " + String.join(", ", missing));
        }
        if (problems.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("The Linger lab cannot run: " + String.join("; ", problems)
                + ". Run these tests as root on Linux with iproute2, openssh-server, openssh-client and gcc.");
    }

    /**
     * Creates a namespace {@code lgr-<label>-<4 hex>} with its sshd listening on {@link #address()}:22 and returns
     * once that port accepts connections.
     *
     * @param label 1 to 16 lowercase letters or digits, to tell hosts apart in {@code ip netns list}
     */
    public static LabHost start(String label) {
        Objects.requireNonNull(label, "label");
        if (!LABEL.matcher(label).matches()) {
            throw new IllegalArgumentException("A lab host label is 1 to 16 lowercase letters or digits, not '"
                    + label + "'");
        }
        unavailableReason().ifPresent(reason -> {
            throw new IllegalStateException(reason);
        });
        Path dir = createPrivateTempDir("linger-lab-" + label + "-");
        Lease reserved;
        try {
            reserved = underGlobalLock(() -> {
                if (STALE_REMOVED.compareAndSet(false, true)) {
                    removeStaleLocked();
                }
                return reserveLease(dir, true);
            });
        } catch (RuntimeException | Error e) {
            Commands.deleteTree(dir);
            throw e;
        }
        LabHost host = new LabHost(label, reserved, dir);
        OPEN_HOSTS.add(host);
        try {
            host.create();
            return host;
        } catch (RuntimeException | Error e) {
            try {
                host.close();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /**
     * Deletes {@code lgr-*} namespaces, {@code lgr*} links and lab temp dirs left behind by JVMs that died without
     * cleaning up. Resources leased by a JVM that is still running are left alone. {@link #start} calls this once
     * per JVM.
     */
    public static void removeStale() {
        underGlobalLock(() -> {
            removeStaleLocked();
            return null;
        });
    }

    /** The namespace side of the veth: where sshd and everything on this host listen. */
    public String address() {
        return address;
    }

    public int sshPort() {
        return SSH_PORT;
    }

    public String user() {
        return USER;
    }

    /** The ed25519 private key that sshd accepts for {@link #user()} (no passphrase). */
    public Path clientKey() {
        return clientKey;
    }

    /** Lets one more client key log in, e.g. the key Linger itself is configured with. */
    public synchronized void authorize(Path publicKey) {
        ensureOpen();
        try {
            Files.writeString(dir.resolve("authorized_keys"), Files.readString(publicKey, StandardCharsets.UTF_8),
                    StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot authorize " + publicKey + ": " + e.getMessage(), e);
        }
    }

    /** The host key's fingerprint in OpenSSH form, {@code SHA256:...}; changes with {@link #replaceHostKey()}. */
    public String hostKeyFingerprint() {
        return hostKeyFingerprint;
    }

    public String namespace() {
        return namespace;
    }

    /** Generates a new host key and restarts sshd with it (if it was running), so clients see a changed host key. */
    public synchronized void replaceHostKey() {
        ensureOpen();
        boolean wasRunning = sshd != null;
        stopSsh();
        try {
            Files.deleteIfExists(hostKey);
            Files.deleteIfExists(publicKeyOf(hostKey));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove the old host key: " + e.getMessage(), e);
        }
        generateKey(hostKey, "linger-lab-host");
        hostKeyFingerprint = fingerprintOf(publicKeyOf(hostKey));
        if (wasRunning) {
            startSsh();
        }
    }

    /**
     * Kills sshd and the sessions it serves: new connections are refused (the namespace answers with a reset),
     * open ones drop. Does nothing when it is already stopped.
     */
    public synchronized void stopSsh() {
        Process listener = sshd;
        if (listener == null) {
            return;
        }
        sshd = null;
        // Stopped first so it cannot fork a session between listing its children and being killed. It may have
        // died on its own already, so a failed signal is no reason to stop here.
        if (listener.isAlive() && ProcessHandle.of(sshdPid).isPresent()) {
            Commands.run(signalCommand(sshdPid, "STOP"), Commands.DEFAULT_TIMEOUT);
        }
        // The listener is nsenter's child (entering a PID namespace forks); its sessions are below it.
        List<ProcessHandle> sessions = listener.descendants().collect(Collectors.toList());
        sessions.forEach(ProcessHandle::destroyForcibly);
        listener.destroyForcibly();
        awaitExit(listener.toHandle(), "sshd in " + namespace);
        sessions.forEach(session -> awaitExit(session, "an ssh session in " + namespace));
    }

    /** Starts sshd again (after {@link #stopSsh()}); returns once it accepts connections. No-op when running. */
    public synchronized void startSsh() {
        ensureOpen();
        if (sshd != null && sshd.isAlive()) {
            return;
        }
        ensurePrivilegeSeparationDir();
        List<String> sshdCommand = List.of(SSHD.toString(), "-D", "-e", "-f", sshdConfig.toString());
        List<String> command = inNamespace(cleanLoginShell ? withEmptyBashrc(sshdCommand) : sshdCommand);
        try {
            sshd = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(sshdLog.toFile()))
                    .redirectError(ProcessBuilder.Redirect.appendTo(sshdLog.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start sshd in " + namespace + ": " + e.getMessage(), e);
        }
        try {
            awaitSshListening(sshd);
            // nsenter forked it into the lab's PID namespace; unshare and sh (clean shell) exec in place.
            sshdPid = sshd.toHandle().children().findFirst().map(ProcessHandle::pid)
                    .orElseThrow(() -> new IllegalStateException("sshd in " + namespace + " listens but nsenter has"
                            + " no child"));
        } catch (RuntimeException e) {
            stopSsh();
            throw e;
        }
    }

    /**
     * Restarts sshd so that root's login shell finds an empty ~/.bashrc: sshd runs every command through
     * the login shell, and Debian's bash sources ~/.bashrc for it. This machine's root .bashrc (pyenv
     * init) costs about 100 ms per command, which a server's does not. The empty file is bind-mounted in
     * sshd's own mount namespace only; nothing outside the lab changes.
     */
    public synchronized void useCleanLoginShell() {
        ensureOpen();
        cleanLoginShell = true;
        stopSsh();
        startSsh();
    }

    private static List<String> withEmptyBashrc(List<String> sshdCommand) {
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "/bin/sh",
                "-c", "if [ -e /root/.bashrc ]; then mount --bind /dev/null /root/.bashrc || exit 1; fi; exec \"$@\"",
                "lab-sshd"));
        command.addAll(sshdCommand);
        return command;
    }

    /**
     * Sends SIGSTOP to sshd: the kernel still completes TCP handshakes into its backlog, but no SSH banner ever
     * comes, so clients hang until their own timeout. Undo with {@link #thawSsh()}.
     */
    public synchronized void freezeSsh() {
        runningSshd();
        signal(sshdPid, "STOP");
    }

    /** Sends SIGCONT to a sshd frozen by {@link #freezeSsh()}; queued connections then get served. */
    public synchronized void thawSsh() {
        runningSshd();
        signal(sshdPid, "CONT");
    }

    /**
     * Runs a command inside the lab host (its network and PID namespaces and its /proc; not over SSH) and returns
     * its stdout; throws with its stderr when it exits non-zero or runs longer than 30 s.
     */
    public String exec(String... command) {
        ensureOpen();
        if (command.length == 0) {
            throw new IllegalArgumentException("exec needs a command");
        }
        return Commands.check(inNamespace(List.of(command)));
    }

    /**
     * Sets a sysctl inside the namespace, e.g. {@code setSysctl("net.ipv4.tcp_fin_timeout", "5")}. Only
     * {@code net.*} keys: those are per namespace, while any other key would change the whole machine.
     */
    public void setSysctl(String key, String value) {
        if (!key.matches("net(\\.[A-Za-z0-9_-]+)+")) {
            throw new IllegalArgumentException("Only per-namespace net.* sysctls can be set on a lab host, not '"
                    + key + "'");
        }
        if (value.contains("\n")) {
            throw new IllegalArgumentException("A sysctl value is one line");
        }
        exec("sysctl", "-q", "-w", key + "=" + value);
    }

    /**
     * N server sockets on {@code 127.0.0.1:port} in CLOSE-WAIT, each with 7 unread bytes. ss shows Recv-Q 8: the
     * kernel reports {@code rcv_nxt - copied_seq}, and the peer's FIN takes one sequence number.
     */
    public Fault closeWait(int port, int n) {
        return startFault("close-wait", port, n);
    }

    /** N orphaned server sockets on {@code 127.0.0.1:port} in FIN-WAIT-1 with Send-Q > 0 and a persist timer. */
    public Fault finWait1(int port, int n) {
        return startFault("fin-wait1", port, n);
    }

    /**
     * Like {@link #closeWait} but held by a process whose leader thread has exited: {@link Fault#pid()} is a
     * zombie ({@code Z}) whose sockets live under {@code /proc/PID/task/TID/fd} of its one remaining thread.
     */
    public Fault defunct(int port, int n) {
        return startFault("defunct", port, n);
    }

    /** N idle established connections to {@code 127.0.0.1:port} (2N sockets, all in the fault's process). */
    public Fault established(int port, int n) {
        return startFault("estab", port, n);
    }

    /**
     * N connections to {@code 127.0.0.1:port} whose clients wrote 7 bytes and shut down their write side but stay
     * open, and whose server never reads: N CLOSE-WAIT sockets with Recv-Q 8 and N FIN-WAIT-2 sockets, all owned by
     * the fault's process. Owned FIN-WAIT-2 sockets have no timer ({@code tcp_fin_timeout} is for orphans).
     */
    public Fault halfClosed(int port, int n) {
        return startFault("half-closed", port, n);
    }

    /**
     * N connections to {@code 127.0.0.1:port} in one process (2N sockets): half of them (rounded up)
     * {@link #halfClosed}, the rest idle {@link #established}. Keep N at or below ~6,000 per port (connect() would
     * reuse client ports whose 4-tuple is still in CLOSE-WAIT) and 2N below the descriptor limit.
     */
    public Fault mixed(int port, int n) {
        return startFault("mixed", port, n);
    }

    /**
     * Kills faults, sshd and anything else left in the namespace, deletes the namespace, the veth and the temp
     * dir. Idempotent; throws after trying every step if one of them failed.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<RuntimeException> failures = new ArrayList<>();
        attempt(failures, () -> containers.forEach(Container::close));
        attempt(failures, () -> crowds.forEach(Crowd::close));
        attempt(failures, () -> faults.forEach(Fault::close));
        attempt(failures, this::stopSsh);
        // Killing the lab's init ends every process in its PID namespace, wherever their network namespace is.
        attempt(failures, this::stopInit);
        attempt(failures, () -> killProcessesIn(namespace));
        // Deleting one end removes both at once; the namespace's end would otherwise linger until the kernel's
        // asynchronous namespace cleanup runs.
        attempt(failures, () -> deleteLinkIfPresent(hostLink));
        attempt(failures, () -> deleteNamespaceIfPresent(namespace));
        attempt(failures, () -> Commands.deleteTree(dir));
        if (failures.isEmpty()) {
            // Kept on failure: once this JVM has exited, the next removeStale finishes the job.
            attempt(failures, () -> deleteQuietly(lease));
        }
        OPEN_HOSTS.remove(this);
        if (!failures.isEmpty()) {
            IllegalStateException failure = new IllegalStateException("Cleaning up lab host " + namespace
                    + " failed: " + failures.get(0).getMessage(), failures.get(0));
            failures.stream().skip(1).forEach(failure::addSuppressed);
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "LabHost[" + namespace + " " + address + (closed.get() ? " closed" : "") + "]";
    }

    /**
     * A private temp dir for this JVM (the compiled fault generator lives there). It is removed at JVM exit or, if
     * the JVM dies first, by a later {@link #removeStale()}: it is leased like a host, only without a subnet.
     */
    static Path createJvmTempDir(String prefix) {
        Path dir = createPrivateTempDir(prefix);
        try {
            Lease lease = underGlobalLock(() -> reserveLease(dir, false));
            DIRS_TO_DELETE_AT_EXIT.add(dir);
            LEASES_TO_DELETE_AT_EXIT.add(LEASE_DIR.resolve(lease.id()));
            return dir;
        } catch (RuntimeException | Error e) {
            Commands.deleteTree(dir);
            throw e;
        }
    }

    // ---- creation

    private void create() {
        ip("netns", "add", namespace);
        ip("link", "add", hostLink, "type", "veth", "peer", "name", namespaceLink, "netns", namespace);
        ip("addr", "add", hostSideAddress + "/30", "dev", hostLink);
        ip("link", "set", hostLink, "up");
        ip("-n", namespace, "addr", "add", address + "/30", "dev", namespaceLink);
        ip("-n", namespace, "link", "set", namespaceLink, "up");
        // Fault generators use 127.0.0.1, and a new namespace starts with lo down.
        ip("-n", namespace, "link", "set", "lo", "up");
        startInit();

        generateKey(hostKey, "linger-lab-host");
        generateKey(clientKey, "linger-lab-client");
        hostKeyFingerprint = fingerprintOf(publicKeyOf(hostKey));
        try {
            Files.copy(publicKeyOf(clientKey), dir.resolve("authorized_keys"));
            Files.writeString(sshdConfig, sshdConfigText(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the sshd files in " + dir + ": " + e.getMessage(), e);
        }
        startSsh();
    }

    private String sshdConfigText() {
        return String.join("\n",
                "# Linger lab host " + namespace,
                "ListenAddress " + address,
                "Port " + SSH_PORT,
                "HostKey " + hostKey,
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "PermitRootLogin prohibit-password",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                // The temp dir under /tmp would fail sshd's ownership checks on the path to authorized_keys.
                "StrictModes no",
                "PidFile " + dir.resolve("sshd.pid"),
                "LogLevel ERROR",
                // Tests open many connections at once; the defaults (10:30:100, 10) would drop some of them.
                "MaxStartups 200",
                "MaxSessions 50",
                "");
    }

    private void awaitSshListening(Process listener) {
        InetSocketAddress endpoint = new InetSocketAddress(address, SSH_PORT);
        AtomicReference<IOException> refused = new AtomicReference<>();
        try {
            Waits.upTo(SSH_START_TIMEOUT, "sshd in " + namespace + " accepting connections").pollInterval(POLL_INTERVAL)
                    .until(() -> {
                        if (!listener.isAlive()) {
                            return true; // said below
                        }
                        try (Socket probe = new Socket()) {
                            probe.connect(endpoint, (int) SSH_PROBE_TIMEOUT.toMillis());
                            return true;
                        } catch (IOException notYet) {
                            refused.set(notYet);
                            return false;
                        }
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("sshd in " + namespace + " did not accept connections on " + address + ":"
                    + SSH_PORT + " within " + SSH_START_TIMEOUT + " (" + Optional.ofNullable(refused.get())
                            .map(IOException::getMessage).orElse("no answer") + "); its stderr: " + sshdLogTail(), e);
        }
        if (!listener.isAlive()) {
            throw new IllegalStateException("sshd in " + namespace + " exited with code " + listener.exitValue()
                    + " before listening on " + address + ":" + SSH_PORT + "; its stderr: " + sshdLogTail());
        }
    }

    private String sshdLogTail() {
        try {
            String log = Files.readString(sshdLog).strip();
            return log.isEmpty() ? "(empty)"
                    : log.length() <= LOG_TAIL_CHARS ? log : "..." + log.substring(log.length() - LOG_TAIL_CHARS);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static void ensurePrivilegeSeparationDir() {
        try {
            if (!Files.isDirectory(PRIVSEP_DIR)) {
                Files.createDirectories(PRIVSEP_DIR,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create sshd's privilege separation directory " + PRIVSEP_DIR
                    + ": " + e.getMessage(), e);
        }
    }

    private static void generateKey(Path privateKey, String comment) {
        Commands.check(List.of(tool("ssh-keygen"), "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f",
                privateKey.toString()));
    }

    private static String fingerprintOf(Path publicKey) {
        // "256 SHA256:abc... comment (ED25519)"
        String[] fields = Commands.check(List.of(tool("ssh-keygen"), "-l", "-f", publicKey.toString()))
                .strip().split("\\s+");
        if (fields.length < 2 || !fields[1].startsWith("SHA256:")) {
            throw new IllegalStateException("Unexpected ssh-keygen -l output for " + publicKey + ": "
                    + String.join(" ", fields));
        }
        return fields[1];
    }

    private static Path publicKeyOf(Path privateKey) {
        return privateKey.resolveSibling(privateKey.getFileName() + ".pub");
    }

    // ---- running things

    private List<String> inNamespace(List<String> command) {
        List<String> full = new ArrayList<>(enterCommand());
        full.addAll(command);
        return full;
    }

    private Fault startFault(String mode, int port, int n) {
        ensureOpen();
        if (port < 1 || port > 65535 || n < 1) {
            throw new IllegalArgumentException("A fault needs a port in 1..65535 and n >= 1, not " + port + ", " + n);
        }
        Path stderrFile = dir.resolve("fault-" + mode + "-" + port + ".stderr");
        List<String> launcher = new ArrayList<>(enterCommand());
        launcher.addAll(PARENT_INSIDE);
        Fault fault = Fault.start(launcher, mode, LOOPBACK, port, n, stderrFile);
        faults.add(fault);
        return fault;
    }

    // ---- the lab's PID namespace

    /**
     * Runs the command as {@code sh -c '"$@" & wait $!'}: nsenter forks the shell into the PID namespace, and the
     * shell starts the command as its child, so the command has a parent the lab sees (its ppid is not 0), as a
     * server on a real machine has. Killing the command ends the shell.
     */
    static final List<String> PARENT_INSIDE = List.of("/bin/sh", "-c", "\"$@\" & wait $!", "linger-lab");

    /**
     * The nsenter command (options only, no {@code --}) that enters the lab's PID namespace and mount namespace
     * (its /proc), for callers that add namespaces of their own, e.g. a container's {@code --net=FILE}.
     */
    List<String> nsenterInto() {
        ensureOpen();
        return List.of(tool("nsenter"), "-t", Long.toString(initPid), "-p", "-m");
    }

    /**
     * The command prefix that runs a program inside this lab host: its network namespace, its PID namespace and
     * its /proc, e.g. for a test transport that stands in for SSH. The program's pids are the lab's.
     */
    public List<String> enterCommand() {
        List<String> command = new ArrayList<>(nsenterInto());
        command.addAll(List.of("-n", "--"));
        return command;
    }

    /** The machine pid of the lab's init (PID 1 inside); killing it ends every process of the lab. */
    public long initPid() {
        ensureOpen();
        return initPid;
    }

    /**
     * A container inside this lab host: a process in a network and UTS namespace of its own (hostname given), in
     * the lab's PID namespace so the lab's collector sees it, in the cgroup the shape names. Closed with the host.
     */
    public Container container(String hostname, Container.Shape shape) {
        ensureOpen();
        Container container = Container.inLab(this, nsenterInto(), hostname, shape);
        containers.add(container);
        return container;
    }

    /**
     * {@code n} network namespaces with nothing in them but one sleeping process each (a busy Kubernetes node's
     * pause containers), inside this lab host; for benchmarks. Returns once all exist; closed with the host.
     */
    public Crowd crowd(int n) {
        ensureOpen();
        if (n < 1 || n > 5000) {
            throw new IllegalArgumentException("A crowd has 1 to 5000 namespaces, not " + n);
        }
        Crowd crowd = Crowd.start(inNamespace(List.of("/bin/sh", "-c",
                "i=0; while [ $i -lt \"$1\" ]; do unshare --net sleep infinity & i=$((i+1)); done; wait",
                "linger-lab-crowd", Integer.toString(n))), n);
        crowds.add(crowd);
        return crowd;
    }

    /** Namespaces made by {@link #crowd}: one shell whose children each sleep in a network namespace of their own. */
    public static final class Crowd implements AutoCloseable {
        private final Process shell;
        private final int size;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Crowd(Process shell, int size) {
            this.shell = shell;
            this.size = size;
        }

        static Crowd start(List<String> command, int n) {
            Process shell;
            try {
                shell = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start a crowd of namespaces: " + e.getMessage(), e);
            }
            Crowd crowd = new Crowd(shell, n);
            try {
                Waits.upTo(Duration.ofSeconds(60), n + " namespaces up").pollInterval(Duration.ofMillis(100))
                        .until(() -> !shell.isAlive() || crowd.namespaces().size() >= n);
            } catch (ConditionTimeoutException timedOut) {
                // the shell still runs: said below
            }
            if (crowd.namespaces().size() < n) {
                crowd.close();
                throw new IllegalStateException("Only " + crowd.namespaces().size() + " of " + n
                        + " namespaces came up");
            }
            return crowd;
        }

        public int size() {
            return size;
        }

        /** The distinct network namespace inodes of the crowd's sleepers. */
        public Set<Long> namespaces() {
            long own = Pids.namespaceInode(shell.pid(), "net");
            return shell.descendants()
                    .filter(p -> p.info().command().map(c -> c.endsWith("sleep")).orElse(false))
                    .map(p -> Pids.namespaceInode(p.pid(), "net"))
                    .filter(inode -> inode > 0 && inode != own)
                    .collect(Collectors.toSet());
        }

        /** Kills the sleepers and their shell; their namespaces go with them. Idempotent. */
        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            List<ProcessHandle> all = shell.descendants().collect(Collectors.toList());
            all.forEach(ProcessHandle::destroyForcibly);
            shell.destroyForcibly();
            all.forEach(p -> awaitExit(p, "a crowd sleeper"));
        }
    }

    private void startInit() {
        List<String> command = List.of(tool("ip"), "netns", "exec", namespace, tool("unshare"), "--pid", "--fork",
                "--kill-child", "--mount-proc", Fault.keeperBinary().toString(), "--init");
        try {
            init = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("init.stderr").toFile()))
                    .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("init.stderr").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the PID namespace of " + namespace + ": " + e.getMessage(),
                    e);
        }
        // The keeper is PID 1 inside; unshare (which ip netns exec became) forked it.
        initPid = Pids.machinePidOf(init.toHandle(), 1, SSH_START_TIMEOUT);
        // --mount-proc mounts the lab's /proc just before exec: wait until the keeper runs in it.
        Supplier<Boolean> keeperRuns = () -> ProcessHandle.of(initPid).flatMap(p -> p.info().command())
                .map(c -> c.endsWith("keeper")).orElse(false);
        try {
            Waits.upTo(SSH_START_TIMEOUT, "the keeper running as the init of " + namespace)
                    .pollInterval(POLL_INTERVAL).until(() -> !init.isAlive() || keeperRuns.get());
        } catch (ConditionTimeoutException timedOut) {
            // said below
        }
        if (!keeperRuns.get()) {
            throw new IllegalStateException("The init of " + namespace + " did not start: "
                    + readQuietly(dir.resolve("init.stderr")));
        }
    }

    private void stopInit() {
        if (init == null) {
            return;
        }
        if (initPid > 0) {
            Pids.killAndAwait(STOP_TIMEOUT, initPid);
        }
        init.destroyForcibly();
        awaitExit(init.toHandle(), "the init of " + namespace);
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** The lab-wide lock that also guards container records (see {@link Container}). */
    static <T> T underLabLock(Supplier<T> action) {
        return underGlobalLock(action);
    }

    private Process runningSshd() {
        ensureOpen();
        if (sshd == null || !sshd.isAlive()) {
            throw new IllegalStateException("sshd in " + namespace + " is not running");
        }
        return sshd;
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    private static void ip(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(tool("ip"));
        command.addAll(List.of(arguments));
        Commands.check(command);
    }

    private static String tool(String name) {
        return Commands.findExecutable(name).map(Path::toString).orElse(name);
    }

    /**
     * Sends a signal by name. The JDK can only send TERM and KILL, so this goes through the shell's kill builtin;
     * the script is constant and the pid is passed as an argument.
     */
    private static void signal(long pid, String signalName) {
        Commands.check(signalCommand(pid, signalName));
    }

    private static List<String> signalCommand(long pid, String signalName) {
        return List.of("/bin/sh", "-c", "kill -s \"$1\" \"$2\"", "linger-lab-kill", signalName, Long.toString(pid));
    }

    private static void awaitExit(ProcessHandle process, String what) {
        try {
            process.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(what + " (pid " + process.pid() + ") did not exit within "
                    + STOP_TIMEOUT + " of SIGKILL");
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot wait for " + what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping " + what, e);
        }
    }

    // ---- namespaces, links and their processes

    private static List<String> namespaces() {
        // Lines are "name" or "name (id: 3)".
        return Commands.check(List.of(tool("ip"), "netns", "list")).lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty())
                .map(line -> line.split("\\s+")[0])
                .collect(Collectors.toList());
    }

    private static List<String> initialNamespaceLinks() {
        // Lines are "7: lgr1a2ba@if6: <BROADCAST,...> ..."; the peer suffix after @ is not part of the name.
        List<String> names = new ArrayList<>();
        for (String line : Commands.check(List.of(tool("ip"), "-o", "link", "show")).split("\n")) {
            String[] parts = line.split(":\\s+", 3);
            if (parts.length >= 2) {
                names.add(parts[1].split("@")[0].strip());
            }
        }
        return names;
    }

    private static void deleteNamespaceIfPresent(String name) {
        if (namespaces().contains(name)) {
            ip("netns", "del", name);
        }
    }

    private static void deleteLinkIfPresent(String name) {
        if (initialNamespaceLinks().contains(name)) {
            Commands.Result result = Commands.run(List.of(tool("ip"), "link", "del", name), Commands.DEFAULT_TIMEOUT);
            // Gone meanwhile (its namespace was just deleted) is as good as deleted.
            if (!result.succeeded() && initialNamespaceLinks().contains(name)) {
                throw new IllegalStateException(result.describe());
            }
        }
    }

    /**
     * Kills every process with a thread in the namespace, then waits until none is left: a namespace with a
     * process in it outlives {@code ip netns del}. Threads are checked, not just processes, because a zombie leader
     * (the defunct fault) has no namespace of its own while its live thread still holds sockets there.
     */
    private static void killProcessesIn(String name) {
        if (!Files.exists(NETNS_DIR.resolve(name))) {
            return;
        }
        pidsInNamespace(name).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        try {
            // when a SIGKILLed process is gone is the kernel's to say
            Waits.upTo(STOP_TIMEOUT, "no process left in namespace " + name).pollInterval(POLL_INTERVAL)
                    .until(() -> pidsInNamespace(name).isEmpty());
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("Processes " + pidsInNamespace(name) + " in namespace " + name
                    + " survived SIGKILL for " + STOP_TIMEOUT, e);
        }
    }

    private static Set<Long> pidsInNamespace(String name) {
        String namespaceLink;
        try {
            namespaceLink = "net:[" + Files.getAttribute(NETNS_DIR.resolve(name), "unix:ino") + "]";
        } catch (NoSuchFileException gone) {
            return Set.of();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read namespace " + name + ": " + e.getMessage(), e);
        }
        Set<Long> pids = new HashSet<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"),
                entry -> entry.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path process : processes) {
                if (anyThreadIn(process, namespaceLink)) {
                    pids.add(Long.parseLong(process.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list /proc: " + e.getMessage(), e);
        }
        return pids;
    }

    private static boolean anyThreadIn(Path process, String namespaceLink) {
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(process.resolve("task"))) {
            for (Path thread : threads) {
                try {
                    if (namespaceLink.equals(Files.readSymbolicLink(thread.resolve("ns/net")).toString())) {
                        return true;
                    }
                } catch (IOException exited) {
                    // zombie or just exited: no namespace any more
                }
            }
        } catch (IOException exited) {
            // the process is gone
        }
        return false;
    }

    private static Optional<Long> effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    // "Uid:  real  effective  saved  filesystem"
                    return Optional.of(Long.parseLong(line.substring(4).strip().split("\\s+")[1]));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or an unexpected format: fall back to id(1)
        }
        try {
            return Optional.of(Long.parseLong(Commands.check(List.of("id", "-u")).strip()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Path createPrivateTempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temp dir: " + e.getMessage(), e);
        }
    }

    private static void attempt(List<RuntimeException> failures, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            System.err.println("linger lab: cannot delete " + file + ": " + e.getMessage());
        }
    }

    private static void cleanUpAtExit() {
        for (LabHost host : List.copyOf(OPEN_HOSTS)) {
            try {
                host.close();
            } catch (RuntimeException e) {
                System.err.println("linger lab: " + e.getMessage());
            }
        }
        DIRS_TO_DELETE_AT_EXIT.forEach(Commands::deleteTree);
        LEASES_TO_DELETE_AT_EXIT.forEach(LabHost::deleteQuietly);
    }

    // ---- leases: which lab resources belong to a live JVM

    /**
     * A claim on an id (names), a subnet (0 for a plain temp dir) and a temp dir, owned by a JVM identified by
     * pid and start time.
     */
    private record Lease(String id, long ownerPid, String ownerStart, int subnet, String dir) {

        boolean ownerAlive() {
            return ProcessHandle.of(ownerPid)
                    .filter(ProcessHandle::isAlive)
                    // A recycled pid belongs to a process started at another time.
                    .filter(owner -> ownerStart.isEmpty() || ownerStart.equals(startOf(owner)))
                    // isAlive() is true for a zombie: a JVM killed moments ago whose parent has not reaped it yet.
                    .filter(owner -> !isZombie(owner.pid()))
                    .isPresent();
        }

        Properties toProperties() {
            Properties properties = new Properties();
            properties.setProperty("owner.pid", Long.toString(ownerPid));
            properties.setProperty("owner.start", ownerStart);
            properties.setProperty("subnet", Integer.toString(subnet));
            properties.setProperty("dir", dir);
            return properties;
        }

        static Optional<Lease> read(Path file) {
            Properties properties = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                properties.load(in);
                return Optional.of(new Lease(file.getFileName().toString(),
                        Long.parseLong(properties.getProperty("owner.pid")),
                        properties.getProperty("owner.start", ""),
                        Integer.parseInt(properties.getProperty("subnet")),
                        properties.getProperty("dir", "")));
            } catch (IOException | RuntimeException unreadable) {
                // Leases are written atomically, so an unreadable one is debris: treated as dead.
                return Optional.empty();
            }
        }
    }

    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // "pid (comm) S ...": the state follows the last ')', as comm may contain anything.
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state == 'Z' || state == 'X';
        } catch (IOException | RuntimeException gone) {
            return true;
        }
    }

    private static String startOf(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toString).orElse("");
    }

    private static <T> T underGlobalLock(Supplier<T> action) {
        // FileLock guards against other JVMs only; threads of this one queue on the class monitor.
        synchronized (LabHost.class) {
            try {
                Files.createDirectories(LEASE_DIR,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                try (FileChannel channel = FileChannel.open(LEASE_DIR.resolve("lock"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE)) {
                    FileLock lock;
                    try {
                        lock = Waits.upTo(LOCK_TIMEOUT, "the lock " + LEASE_DIR.resolve("lock"))
                                .pollInterval(POLL_INTERVAL).pollInSameThread().ignoreNoExceptions()
                                .until(channel::tryLock, Objects::nonNull);
                    } catch (ConditionTimeoutException e) {
                        throw new IllegalStateException("Another JVM held " + LEASE_DIR.resolve("lock")
                                + " for more than " + LOCK_TIMEOUT, e);
                    }
                    try {
                        return action.get();
                    } finally {
                        lock.release();
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot lock " + LEASE_DIR + ": " + e.getMessage(), e);
            }
        }
    }

    private static Map<String, Lease> readLeases() {
        Map<String, Lease> leases = new HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(LEASE_DIR,
                file -> LEASE_NAME.matcher(file.getFileName().toString()).matches())) {
            for (Path file : files) {
                String leaseId = file.getFileName().toString();
                leases.put(leaseId, Lease.read(file).orElse(new Lease(leaseId, -1, "", -1, "")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + LEASE_DIR + ": " + e.getMessage(), e);
        }
        return leases;
    }

    /** Picks an unused id (and subnet) and records them with this JVM as owner. Call under the global lock. */
    private static Lease reserveLease(Path dir, boolean withSubnet) {
        Map<String, Lease> leases = readLeases();
        ThreadLocalRandom random = ThreadLocalRandom.current();

        Set<String> namesInUse = new HashSet<>(namespaces());
        namesInUse.addAll(initialNamespaceLinks());
        String chosenId = null;
        for (int attempt = 0; attempt < 1000 && chosenId == null; attempt++) {
            String candidate = String.format("%04x", random.nextInt(0x10000));
            boolean taken = leases.containsKey(candidate)
                    || namesInUse.stream().anyMatch(name -> name.endsWith("-" + candidate)
                            || name.startsWith(LINK_PREFIX + candidate));
            chosenId = taken ? null : candidate;
        }
        if (chosenId == null) {
            throw new IllegalStateException("No free lab host id; too many leases in " + LEASE_DIR);
        }

        ProcessHandle self = ProcessHandle.current();
        int subnet = withSubnet ? freeSubnet(leases) : 0;
        Lease lease = new Lease(chosenId, self.pid(), startOf(self), subnet, dir.toString());
        writeAtomically(LEASE_DIR.resolve(chosenId), lease.toProperties());
        return lease;
    }

    private static int freeSubnet(Map<String, Lease> leases) {
        Set<Integer> subnetsInUse = new HashSet<>();
        Matcher assigned = SUBNET_IN_USE.matcher(Commands.check(List.of(tool("ip"), "-o", "addr", "show")));
        while (assigned.find()) {
            subnetsInUse.add(Integer.parseInt(assigned.group(1)));
        }
        leases.values().forEach(other -> subnetsInUse.add(other.subnet()));
        List<Integer> free = new ArrayList<>();
        for (int subnet = 1; subnet <= MAX_SUBNET; subnet++) {
            if (!subnetsInUse.contains(subnet)) {
                free.add(subnet);
            }
        }
        if (free.isEmpty()) {
            throw new IllegalStateException("All of " + SUBNET_PREFIX + "1-" + MAX_SUBNET + ".0/30 are in use");
        }
        return free.get(ThreadLocalRandom.current().nextInt(free.size()));
    }

    private static void writeAtomically(Path target, Properties properties) {
        Path partial = target.resolveSibling("." + target.getFileName() + ".partial");
        try {
            try (OutputStream out = Files.newOutputStream(partial)) {
                properties.store(out, "Linger lab lease");
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(partial);
            throw new UncheckedIOException("Cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    private static void removeStaleLocked() {
        Map<String, Lease> leases = readLeases();
        Set<String> liveIds = leases.values().stream()
                .filter(Lease::ownerAlive)
                .map(Lease::id)
                .collect(Collectors.toSet());
        List<String> problems = new ArrayList<>();

        for (String name : namespaces()) {
            if (name.startsWith(NAMESPACE_PREFIX) && !liveIds.contains(name.substring(name.lastIndexOf('-') + 1))) {
                try {
                    killProcessesIn(name);
                    ip("netns", "del", name);
                } catch (RuntimeException e) {
                    problems.add(e.getMessage());
                }
            }
        }
        for (String link : initialNamespaceLinks()) {
            String linkId = link.length() >= LINK_PREFIX.length() + 4
                    ? link.substring(LINK_PREFIX.length(), LINK_PREFIX.length() + 4) : "";
            if (link.startsWith(LINK_PREFIX) && !liveIds.contains(linkId)) {
                try {
                    deleteLinkIfPresent(link);
                } catch (RuntimeException e) {
                    problems.add(e.getMessage());
                }
            }
        }
        for (Lease lease : leases.values()) {
            if (!liveIds.contains(lease.id())) {
                // Only ever a lab temp dir: a corrupted lease must not point this at anything else.
                Path leftover = lease.dir().isEmpty() ? null : Path.of(lease.dir());
                if (leftover != null && leftover.isAbsolute()
                        && leftover.getFileName().toString().startsWith("linger-lab-")) {
                    Commands.deleteTree(leftover);
                }
                deleteQuietly(LEASE_DIR.resolve(lease.id()));
            }
        }
        Container.removeStaleLocked();
        if (!problems.isEmpty()) {
            // Leftovers only waste resources; new hosts avoid their names and subnets, so this is not fatal.
            System.err.println("linger lab: could not remove all stale lab resources: " + String.join("; ", problems));
        }
    }
}
