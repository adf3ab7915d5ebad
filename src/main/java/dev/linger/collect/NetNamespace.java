package dev.linger.collect;

import java.util.Map;

/**
 * One network namespace of a host as a collection found it: the host's own (the one the collector ran in), an
 * {@code ip netns}, a container or a Kubernetes pod. Sockets, counts, incidents and jobs refer to it by
 * {@link #key()}: 0 for the host's own namespace (stable across reboots and what every record before namespaces
 * meant), the namespace's inode otherwise. Inodes are unique on a host until it reboots, so the full identity of
 * a namespace is (host, {@code bootId}, inode).
 *
 * @param inode       the nsfs inode of {@code /proc/PID/ns/net}; 0 when the host did not report it
 * @param kind        what the namespace is, judged from its ip-netns name, cgroup path and hostname
 * @param name        what people call it: "host", the ip-netns name, the container's hostname or short id, the
 *                    pod's name; never null; may be hostile (a container sets its own hostname): escape it
 * @param containerId the full container id from the cgroup path (docker-, cri-containerd-, crio-, libpod-); null
 *                    when there is none
 * @param pod         the Kubernetes pod uid from a {@code kubepods…pod<uid>} cgroup; null outside Kubernetes
 * @param hostname    the namespace's UTS hostname when the collector read it (namespaces with notable sockets);
 *                    null otherwise
 * @param pid         a process in the namespace at collection time (0 for none): a job resolves a pid again
 * @param sysctls     the per-namespace sysctls read inside it (only for namespaces with notable sockets; the
 *                    host's own are {@link CollectorOutput#sysctls()}); a key the namespace lacks maps to null
 * @param replaced    the inode of the namespace this one replaced for the same container or pod (it restarted
 *                    since the last collection); 0 when none
 */
public record NetNamespace(long inode, Kind kind, String name, String containerId, String pod, String hostname,
        int pid, Map<String, String> sysctls, long replaced) {

    public enum Kind {
        HOST, NETNS, CONTAINER, POD
    }

    /** The key of the host's own namespace. */
    public static final long HOST_KEY = 0;

    public NetNamespace {
        kind = kind == null ? Kind.HOST : kind;
        name = name == null || name.isEmpty() ? (kind == Kind.HOST ? "host" : "net:[" + inode + "]") : name;
        sysctls = sysctls == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sysctls));
    }

    /** The host's own namespace when nothing else is known (outputs from before namespaces). */
    public static NetNamespace host(long inode) {
        return new NetNamespace(inode, Kind.HOST, "host", null, null, null, 0, Map.of(), 0);
    }

    public long key() {
        return kind == Kind.HOST ? HOST_KEY : inode;
    }

    /** The first 12 characters of the container id, as {@code docker ps} shows it; null without one. */
    public String shortId() {
        return containerId == null ? null : containerId.substring(0, Math.min(12, containerId.length()));
    }
}
