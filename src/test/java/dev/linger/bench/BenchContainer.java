package dev.linger.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A container as Linger sees one, without a runtime: a process in its own network and UTS namespace (with a
 * hostname), optionally in a cgroup named as a container runtime names it, in both the name=systemd v1 hierarchy
 * and the v2 one. It holds {@code closeWait} CLOSE-WAIT server sockets on 127.0.0.1:port with 7 unread bytes each
 * and {@code established} idle connections to port + 1 (both ends held, 2 sockets each). Closing it kills the
 * process and removes the cgroup directories it created. Root only.
 *
 * <p>For benchmarks only: one process builds thousands of sockets in a second, and a namespace can get a TCP hash of
 * its own. Tests make containers with {@link dev.linger.lab.Container}, which also carries the lab's faults.
 */
public final class BenchContainer implements AutoCloseable {

    private static final List<Path> HIERARCHIES = List.of(Path.of("/sys/fs/cgroup/systemd"),
            Path.of("/sys/fs/cgroup/unified"));
    private static final String SERVER = """
            use IO::Socket::INET;
            my ($port, $n, $pairs) = @ARGV;
            my @held;
            if ($n > 0) {
              my $l = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => $port, Listen => 4096, ReuseAddr => 1) or die "listen: $!";
              for (1 .. $n) {
                my $c = IO::Socket::INET->new(PeerAddr => "127.0.0.1", PeerPort => $port) or die "connect: $!";
                push @held, scalar $l->accept;
                print $c "1234567"; close $c;
              }
              push @held, $l;
            }
            my $e = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => $port + 1, Listen => 4096, ReuseAddr => 1) or die "listen: $!";
            for (1 .. $pairs) {
              push @held, IO::Socket::INET->new(PeerAddr => "127.0.0.1", PeerPort => $port + 1) || die "connect: $!";
              push @held, scalar $e->accept;
            }
            $| = 1; print "ready $$\\n";
            sleep 3600;
            """;

    public final String hostname;
    public final int port;
    public final String cgroup;
    /** The pid as the collector of its host sees it (inside a lab host: the lab's pid). */
    public final int pid;
    /** The pid on this machine, for reading its /proc here. */
    public final long machinePid;
    private final Process process;
    private final List<Path> dirs = new ArrayList<>();

    private BenchContainer(String hostname, int port, int closeWait, int established, String cgroup, String sysctls) {
        this(List.of(), hostname, port, closeWait, established, cgroup, sysctls, false);
    }

    private BenchContainer(List<String> enter, String hostname, int port, int closeWait, int established, String cgroup,
            String sysctls, boolean ownHash) {
        this.hostname = hostname;
        this.port = port;
        this.cgroup = cgroup;
        List<String> command = new ArrayList<>(enter);
        if (ownHash) {
            // made from a parent namespace whose tcp_child_ehash_entries gives children a TCP hash of their own
            command.addAll(List.of("unshare", "--net", "sh", "-c",
                    "sysctl -q -w net.ipv4.tcp_child_ehash_entries=1024 && exec \"$@\"", "parent"));
        }
        command.addAll(List.of("unshare", "--net", "--uts", "sh", "-c",
                "ip link set lo up && hostname \"$1\" && sysctl -q -w $2"
                        + " && exec perl -e \"$3\" \"$4\" \"$5\" \"$6\"",
                "container", hostname, sysctls, SERVER, Integer.toString(port), Integer.toString(closeWait),
                Integer.toString(established)));
        try {
            process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            String ready = out.readLine();
            if (ready == null || !ready.startsWith("ready ")) {
                process.destroyForcibly();
                throw new IllegalStateException("the container process did not start: " + ready);
            }
            pid = Integer.parseInt(ready.substring(6).strip());
            // through nsenter -p the container is nsenter's child; without, unshare and sh exec into it
            machinePid = enter.isEmpty() ? process.pid()
                    : process.toHandle().children().findFirst().map(ProcessHandle::pid).orElse(-1L);
            if (cgroup != null) {
                for (Path hierarchy : HIERARCHIES) {
                    Path dir = hierarchy.resolve(cgroup);
                    Path created = dir;
                    while (!Files.exists(created.getParent())) {
                        created = created.getParent();
                    }
                    Files.createDirectories(dir);
                    for (Path d = dir; d.startsWith(created); d = d.getParent()) {
                        dirs.add(d); // deepest first, for removal
                    }
                    Files.writeString(dir.resolve("cgroup.procs"), Integer.toString(pid));
                }
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        }
    }

    /** N CLOSE-WAIT sockets on port, in the given cgroup (relative to the hierarchy roots; null for none). */
    public static BenchContainer start(String hostname, int port, int closeWait, String cgroup) {
        return new BenchContainer(hostname, port, closeWait, 0, cgroup, "net.ipv4.tcp_fin_timeout=33");
    }

    /** Also {@code established} idle connections; the clients' FIN-WAIT-2 halves time out after 1 s. */
    public static BenchContainer start(String hostname, int port, int closeWait, int established, String cgroup) {
        return new BenchContainer(hostname, port, closeWait, established, cgroup, "net.ipv4.tcp_fin_timeout=1");
    }

    /**
     * Like {@link #start(String, int, int, int, String)}, but the namespace gets a TCP hash table of its own
     * ({@code net.ipv4.tcp_child_ehash_entries} in a parent namespace) instead of sharing the host's.
     */
    public static BenchContainer withOwnHash(String hostname, int port, int closeWait, int established) {
        return inside(List.of(), hostname, port, closeWait, established, true);
    }

    /**
     * A container without a cgroup started through {@code enter} (e.g. {@code LabHost.enterCommand()}, so a lab
     * host's collector sees it), optionally with a TCP hash of its own.
     */
    public static BenchContainer inside(List<String> enter, String hostname, int port, int closeWait, int established,
            boolean ownHash) {
        return new BenchContainer(enter, hostname, port, closeWait, established, null, "net.ipv4.tcp_fin_timeout=1",
                ownHash);
    }

    /** The same container (hostname, cgroup) in a new network namespace, as a runtime restarts it. */
    public BenchContainer restart() {
        BenchContainer next = new BenchContainer(hostname, port, 3, 0, cgroup, "net.ipv4.tcp_fin_timeout=33");
        next.dirs.clear();
        next.dirs.addAll(dirs); // the cgroup outlives the first process: the last one out removes it
        return next;
    }

    public static String randomId() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The 64 hex digits at the end of the cgroup path. */
    public String containerId() {
        String scope = cgroup.substring(cgroup.lastIndexOf('-') + 1);
        return scope.substring(0, 64);
    }

    public long netnsInode() {
        try {
            String link = Files.readSymbolicLink(Path.of("/proc/" + machinePid + "/ns/net")).toString();
            return Long.parseLong(link.replaceAll("[^0-9]", ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lines of /proc/PID/net/tcp and tcp6 (headers excluded): every TCP socket of the namespace. */
    public long socketCount() {
        long n = 0;
        for (String file : List.of("tcp", "tcp6")) {
            try {
                n += Math.max(0, Files.readAllLines(Path.of("/proc/" + machinePid + "/net/" + file)).size() - 1);
            } catch (IOException e) {
                // no IPv6
            }
        }
        return n;
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Path dir : dirs) {
            try {
                Files.deleteIfExists(dir); // rmdir; a cgroup another container still uses stays
            } catch (IOException e) {
                // busy: left for the container still in it
            }
        }
        dirs.clear();
    }
}
