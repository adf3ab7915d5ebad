package dev.linger.collect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a network namespace is and what people call it, judged from what the collector saw of it: the cgroup paths
 * of one of its processes, its {@code ip netns} name and its UTS hostname. Pure: no I/O, no clock.
 *
 * <p>Container runtimes name the cgroup of a container after its id: Docker {@code docker-<id>.scope} (systemd
 * driver) or {@code /docker/<id>} (cgroupfs), containerd {@code cri-containerd-<id>.scope}, CRI-O
 * {@code crio-<id>.scope}, Podman {@code libpod-<id>(.scope)}; Kubernetes puts a pod's containers under
 * {@code kubepods…pod<uid>} (with {@code _} for {@code -} in systemd slice names). A pod's name is its hostname.
 */
public final class NamespaceNames {

    /** The longest cgroup path looked at; the script cuts longer ones, so more is garbage. */
    static final int MAX_PATH_CHARS = 1024;

    private static final Pattern CONTAINER = Pattern.compile(
            "(?:^|/)(?:docker-|cri-containerd-|crio-|libpod-)([0-9a-f]{64})(?:\\.scope)?(?:/|$)"
                    + "|/docker/([0-9a-f]{64})(?:/|$)"
                    // cgroupfs driver under Kubernetes: …/kubepods/besteffort/pod<uid>/<id>
                    + "|/pod[0-9a-f_-]{36}/([0-9a-f]{64})(?:/|$)");
    private static final Pattern POD = Pattern.compile(
            "kubepods[^\\n]*?[/-]pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})"
                    + "(?:\\.slice)?(?:/|$)");

    private NamespaceNames() {
    }

    /** The container id and pod uid found in cgroup paths; either may be null. */
    public record Identity(String containerId, String pod) {
    }

    /** The container id and Kubernetes pod uid named by the cgroup paths of a process (first match wins). */
    public static Identity identify(List<String> cgroupPaths) {
        String containerId = null;
        String pod = null;
        for (String path : cgroupPaths == null ? List.<String>of() : cgroupPaths) {
            if (path == null || path.length() > MAX_PATH_CHARS) {
                continue;
            }
            if (containerId == null) {
                Matcher m = CONTAINER.matcher(path);
                if (m.find()) {
                    containerId = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
                }
            }
            if (pod == null) {
                Matcher m = POD.matcher(path);
                if (m.find()) {
                    pod = m.group(1).replace('_', '-');
                }
            }
        }
        return new Identity(containerId, pod);
    }

    /**
     * A namespace other than the collector's own.
     *
     * @param inode        its nsfs inode
     * @param pid          the process it was read through
     * @param netnsName    its {@code ip netns} name, or null
     * @param hostname     its UTS hostname when read (namespaces with notable sockets), or null
     * @param cgroupPaths  the distinct cgroup paths of {@code pid}
     * @param hostHostname the host's own hostname: a namespace that shares it has no name of its own
     * @param sysctls      the per-namespace sysctls read inside it
     */
    public static NetNamespace classify(long inode, int pid, String netnsName, String hostname,
            List<String> cgroupPaths, String hostHostname, Map<String, String> sysctls) {
        Identity id = identify(cgroupPaths);
        NetNamespace.Kind kind = id.pod() != null ? NetNamespace.Kind.POD
                : id.containerId() != null ? NetNamespace.Kind.CONTAINER : NetNamespace.Kind.NETNS;
        String ownHostname = hostname != null && !hostname.isBlank() && !hostname.equals(hostHostname) ? hostname
                : null;
        String name;
        if (ownHostname != null) {
            name = ownHostname;
        } else if (id.containerId() != null) {
            name = id.containerId().substring(0, 12);
        } else if (netnsName != null && !netnsName.isBlank()) {
            name = netnsName;
        } else if (id.pod() != null) {
            name = "pod " + id.pod().substring(0, 8);
        } else {
            name = null; // NetNamespace names it net:[inode]
        }
        return new NetNamespace(inode, kind, name, id.containerId(), id.pod(), hostname, pid, sysctls, 0);
    }

    /**
     * The namespaces with {@code replaced} set where a container, pod or ip netns of the previous collection now
     * has a different inode: it restarted (a new network namespace), so what was recorded for the old one (an
     * incident, a job's target) no longer applies to it. Matched by container id, then pod uid, then ip-netns
     * name (a NETNS whose name is its own, not its inode).
     */
    public static List<NetNamespace> markReplaced(List<NetNamespace> current, List<NetNamespace> previous) {
        if (previous == null || previous.isEmpty()) {
            return current;
        }
        java.util.Set<Long> present = new java.util.HashSet<>();
        current.forEach(ns -> present.add(ns.inode()));
        List<NetNamespace> marked = new ArrayList<>(current.size());
        for (NetNamespace ns : current) {
            long old = ns.kind() == NetNamespace.Kind.HOST ? 0 : previousInode(ns, previous, present);
            if (old == 0 && ns.kind() != NetNamespace.Kind.HOST) {
                // what this namespace replaced stays true while it lives: the page keeps saying it, not for 30 s
                old = previous.stream().filter(p -> p.inode() == ns.inode()).mapToLong(NetNamespace::replaced)
                        .findFirst().orElse(0);
            }
            marked.add(old == 0 || old == ns.inode() ? ns
                    : new NetNamespace(ns.inode(), ns.kind(), ns.name(), ns.containerId(), ns.pod(), ns.hostname(),
                            ns.pid(), ns.sysctls(), old));
        }
        return marked;
    }

    private static long previousInode(NetNamespace ns, List<NetNamespace> previous, java.util.Set<Long> present) {
        for (NetNamespace old : previous) {
            if (old.kind() == NetNamespace.Kind.HOST || old.inode() == ns.inode()) {
                continue;
            }
            if (ns.containerId() != null && ns.containerId().equals(old.containerId())
                    || ns.pod() != null && ns.pod().equals(old.pod())
                    || ns.kind() == NetNamespace.Kind.NETNS && old.kind() == NetNamespace.Kind.NETNS
                            && !ns.name().startsWith("net:[") && ns.name().equals(old.name())) {
                // the old namespace still exists (two namespaces, one pod during a restart): not replaced yet
                return present.contains(old.inode()) ? 0 : old.inode();
            }
        }
        return 0;
    }
}
