package dev.linger.host;

import dev.linger.collect.NetNamespace;

/**
 * A network namespace as the API names it beside a socket: {@code {"inode", "kind", "name", "containerId",
 * "pod"}}. The name is the one the host reported, bounded and with control characters replaced (a container sets
 * its own hostname), as the pages show it.
 */
public record NamespaceRef(long inode, NetNamespace.Kind kind, String name, String containerId, String pod) {

    public static NamespaceRef of(NetNamespace ns) {
        return new NamespaceRef(ns.inode(), ns.kind(), NamespaceGroups.bounded(ns.name()), ns.containerId(), ns.pod());
    }
}
