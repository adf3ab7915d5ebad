package dev.linger.job;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.linger.collect.NetNamespace;
import dev.linger.transport.Shell;

/**
 * The network namespace (not the host's own) a job acts in, as it was when the job was proposed. Its identity is the
 * nsfs inode on one boot of the host; the container id or pod uid, when known, also tells a namespace that replaced it
 * (the container restarted) apart from one that is simply gone. A pid inside it is found again for every command:
 * pids recorded at planning may be gone or reused.
 *
 * @param name  what people call it; may be hostile (a container sets its own hostname): it never reaches a shell
 * @param since the start time (clock ticks after boot) of a process that was in the namespace when the job was
 *              planned; null when not known yet. The kernel gives a freed inode to the next namespace at once
 *              (measured: a container restarted with the same id got the same inode), so the namespace found at run
 *              time must hold a process at least that old to be the one the approvers saw.
 */
record JobNamespace(long inode, String bootId, NetNamespace.Kind kind, String name, String containerId, String pod,
        Long since) {

    /** Exit code of a wrapped command when the host booted again since the job was planned. */
    static final int REBOOTED = 86;
    /** Exit code of a wrapped command when no process is left in the namespace. */
    static final int GONE = 87;
    /** The first word of every line the wrapper or the probe writes about the namespace itself. */
    static final String MARK = "linger-netns";

    private static final Pattern BOOT = Pattern.compile("[0-9a-fA-F-]{8,64}");
    private static final Pattern ID = Pattern.compile("[0-9a-f]{12,64}");
    private static final Pattern POD = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    JobNamespace {
        if (inode <= 0) {
            throw new IllegalArgumentException("a job's namespace is not the host's own: its inode is > 0");
        }
        if (bootId == null || !BOOT.matcher(bootId).matches()) {
            throw new IllegalArgumentException("a boot id is a UUID, not '" + bootId + "'");
        }
        kind = kind == null ? NetNamespace.Kind.NETNS : kind;
        name = name == null || name.isEmpty() ? "net:[" + inode + "]" : name;
        // only ids of the shape runtimes write are used to tell a restart: anything else is dropped, never quoted
        containerId = containerId != null && ID.matcher(containerId).matches() ? containerId : null;
        pod = pod != null && POD.matcher(pod).matches() ? pod : null;
        if (since != null && since < 0) {
            throw new IllegalArgumentException("a start time is >= 0");
        }
    }

    JobNamespace(long inode, String bootId, NetNamespace.Kind kind, String name, String containerId, String pod) {
        this(inode, bootId, kind, name, containerId, pod, null);
    }

    /** The same namespace, pinned to a process the planning probe found in it. */
    JobNamespace since(long ticks) {
        return new JobNamespace(inode, bootId, kind, name, containerId, pod, ticks);
    }

    /** From the stored {@code job.namespace} / {@code incident.namespace} jsonb, or null for the host's own. */
    static JobNamespace of(long netns, String bootId, JsonNode ns) {
        if (netns == NetNamespace.HOST_KEY) {
            return null;
        }
        JsonNode n = ns == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : ns;
        NetNamespace.Kind kind;
        try {
            kind = NetNamespace.Kind.valueOf(n.path("kind").asText("NETNS"));
        } catch (IllegalArgumentException e) {
            kind = NetNamespace.Kind.NETNS;
        }
        return new JobNamespace(netns, bootId, kind, text(n, "name"), text(n, "containerId"), text(n, "pod"),
                n.hasNonNull("since") && n.get("since").canConvertToLong() ? n.get("since").asLong() : null);
    }

    /** From a collection's view of the namespace. */
    static JobNamespace of(NetNamespace ns, String bootId) {
        return ns.key() == NetNamespace.HOST_KEY ? null
                : new JobNamespace(ns.inode(), bootId, ns.kind(), ns.name(), ns.containerId(), ns.pod());
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    /** What the job row and the plan keep: {inode, kind, name, containerId, pod, bootId}. */
    Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inode", inode);
        m.put("kind", kind.name());
        m.put("name", name);
        m.put("containerId", containerId);
        m.put("shortId", shortId());
        m.put("pod", pod);
        m.put("bootId", bootId);
        m.put("since", since);
        return m;
    }

    String shortId() {
        return containerId == null ? null : containerId.substring(0, 12);
    }

    /** How sentences name it: "container web-1 (1a2b3c4d5e6f)", "pod shop/x", "ip netns blue", "net:[4026532…]". */
    String where() {
        return switch (kind) {
            case CONTAINER -> "container " + name + (shortId() == null ? "" : " (" + shortId() + ")");
            case POD -> "pod " + name + (shortId() == null ? "" : " (" + shortId() + ")");
            case NETNS -> name.equals("net:[" + inode + "]") ? name : "ip netns " + name;
            case HOST -> "the host's own namespace";
        };
    }

    /** {@link #where()} as a fact: the page says it in its reader's language. */
    dev.linger.i18n.Text whereText() {
        return whereText(kind.name(), name, shortId(), "net:[" + inode + "]");
    }

    /** The same from a job's stored namespace ({kind, name, shortId}). */
    static dev.linger.i18n.Text whereText(String kind, String name, String shortId, String raw) {
        String k = name != null && name.equals(raw) ? "RAW" : kind;
        return dev.linger.i18n.Text.of("run.where", k, name == null ? "" : name, shortId == null ? "" : shortId);
    }

    /** The plan hash's line: an approval vouches for this namespace on this boot and no other. */
    String hashLine() {
        return "netns " + inode + " boot " + bootId + " since " + since + "\n";
    }

    /**
     * Sets {@code pid} to a process in the namespace, on this boot, or exits with {@link #REBOOTED} / {@link #GONE}
     * and a {@link #MARK} line on stderr. With a container id (or pod uid), the process must also still be in that
     * container's cgroup: an inode freed by a dead namespace can be given to a new one.
     */
    String resolveScript() {
        String member = member();
        StringBuilder s = new StringBuilder()
                .append("b=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null)\n")
                .append("if [ \"$b\" != ").append(Shell.quote(bootId)).append(" ]; then echo \"").append(MARK)
                .append(" rebooted $b\" >&2; exit ").append(REBOOTED).append("; fi\n")
                .append("pid=\n")
                // the inode is a long: no character of it means anything to find or sh
                .append("for f in $(find /proc/[0-9]*/ns/net -maxdepth 0 -lname 'net:\\[").append(inode)
                .append("\\]' 2>/dev/null); do\n")
                .append("  p=${f#/proc/}; p=${p%/ns/net}\n");
        if (member != null) {
            s.append("  grep -qF ").append(member).append(" /proc/$p/cgroup 2>/dev/null || continue\n");
        }
        // field 22 of stat, counted after the command's closing parenthesis (a command may hold spaces)
        s.append("  st=$(cat /proc/$p/stat 2>/dev/null) || continue; st=${st##*) }; set -- $st; t=${20}\n");
        if (since != null) {
            s.append("  [ \"$t\" -le ").append(since).append(" ] 2>/dev/null || continue\n");
        }
        s.append("  pid=$p; break\n")
                .append("done\n")
                .append("if [ -z \"$pid\" ]; then echo \"").append(MARK).append(" gone\" >&2; exit ").append(GONE)
                .append("; fi\n");
        return s.toString();
    }

    /**
     * grep's patterns for the container's cgroup: its id, or the pod uid as the systemd driver ({@code _}) and
     * cgroupfs ({@code -}) write it; null when neither is known.
     */
    private String member() {
        if (containerId != null) {
            return "-e " + Shell.quote(containerId);
        }
        return pod == null ? null : "-e " + Shell.quote(pod) + " -e " + Shell.quote(pod.replace('-', '_'));
    }

    /** A transport that runs every script inside this namespace. */
    dev.linger.transport.Transport around(dev.linger.transport.Transport hostTransport) {
        return (host, script, timeout) -> hostTransport.run(host, wrap(script), timeout);
    }

    /** {@code script} run by sh inside the namespace (its sockets, its per-namespace sysctls), quoted whole. */
    String wrap(String script) {
        return resolveScript() + "exec nsenter --net=\"/proc/$pid/ns/net\" sh -c " + Shell.quote(script);
    }

    /**
     * Run before a job's first change: prints {@code linger-netns ok PID}, or fails like the wrapper; when the
     * namespace is gone but its container runs in another namespace, says {@code linger-netns replaced INODE}.
     */
    String probeScript() {
        String member = member();
        StringBuilder s = new StringBuilder("set +e\n(\n").append(resolveScript()).append("echo \"").append(MARK)
                .append(" ok $pid $t\"\n)\nrc=$?\n");
        if (member != null) {
            s.append("if [ $rc -eq ").append(GONE).append(" ]; then\n")
                    .append("  for c in $(grep -lF ").append(member)
                    .append(" /proc/[0-9]*/cgroup 2>/dev/null); do\n")
                    .append("    l=$(readlink \"${c%/cgroup}/ns/net\" 2>/dev/null) || continue\n")
                    .append("    echo \"").append(MARK).append(" replaced $l\"; break\n")
                    .append("  done\n")
                    .append("fi\n");
        }
        return s.append("exit $rc\n").toString();
    }

    /** What the probe found: ok, or why the job must not run. */
    enum State {
        OK, GONE, REPLACED, REBOOTED, UNKNOWN
    }

    /** {@code ticks}: with OK, the start time of the process found in the namespace. */
    record Probe(State state, Long replacedBy, Long ticks) {
        Probe(State state, Long replacedBy) {
            this(state, replacedBy, null);
        }
    }

    static Probe parseProbe(int exitCode, String stdout, String stderr) {
        String all = (stdout == null ? "" : stdout) + "\n" + (stderr == null ? "" : stderr);
        java.util.regex.Matcher ok = Pattern.compile(MARK + " ok \\d+ (\\d+)").matcher(all);
        if (exitCode == 0 && ok.find()) {
            return new Probe(State.OK, null, Long.valueOf(ok.group(1)));
        }
        if (exitCode == REBOOTED && all.contains(MARK + " rebooted")) {
            return new Probe(State.REBOOTED, null);
        }
        if (exitCode == GONE && all.contains(MARK + " gone")) {
            java.util.regex.Matcher m = Pattern.compile(MARK + " replaced net:\\[(\\d+)\\]").matcher(all);
            return m.find() ? new Probe(State.REPLACED, Long.valueOf(m.group(1))) : new Probe(State.GONE, null);
        }
        return new Probe(State.UNKNOWN, null);
    }

    /** Whether a wrapped command failed for the namespace itself (not for what it ran). */
    static Optional<State> failure(int exitCode, String stderr) {
        if (stderr == null || !stderr.contains(MARK)) {
            return Optional.empty();
        }
        return exitCode == REBOOTED ? Optional.of(State.REBOOTED)
                : exitCode == GONE ? Optional.of(State.GONE) : Optional.empty();
    }
}
