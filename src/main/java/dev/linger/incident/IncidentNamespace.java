package dev.linger.incident;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

import dev.linger.collect.NetNamespace;

/**
 * Where an incident is, as the API shows it: {@code {"inode", "kind", "name", "containerId", "pod"}}. Names come
 * from the host and may be hostile: pages escape them.
 *
 * @param inode  the namespace's nsfs inode; 0 when unknown (the host's own before namespaces)
 * @param kind   HOST, NETNS, CONTAINER or POD
 * @param bootId the host's boot the inode belongs to (an inode is reused after a reboot); not in the API
 *
 * <p>A top-level record: nested in {@link IncidentView} as {@code Namespace}, Qute's generated value resolver could
 * not load it and every page failed.
 */
@JsonPropertyOrder({ "inode", "kind", "name", "containerId", "pod" })
public record IncidentNamespace(long inode, String kind, String name, String containerId, String pod,
        @JsonIgnore String bootId) {

    public static final IncidentNamespace HOST = new IncidentNamespace(0, NetNamespace.Kind.HOST.name(), "host", null, null,
            null);

    public IncidentNamespace {
        kind = kind == null ? NetNamespace.Kind.HOST.name() : kind;
        name = name == null || name.isEmpty() ? ("HOST".equals(kind) ? "host" : "net:[" + inode + "]") : name;
    }

    /** The namespace's key in snapshots: 0 for the host's own, the inode otherwise. */
    public long key() {
        return NetNamespace.Kind.HOST.name().equals(kind) ? NetNamespace.HOST_KEY : inode;
    }

    static IncidentNamespace of(NetNamespace ns, String bootId) {
        return new IncidentNamespace(ns.inode(), ns.kind().name(), ns.name(), ns.containerId(), ns.pod(), bootId);
    }

    /** The namespace as the stored jsonb: {"inode", "kind", "name", "containerId", "pod", "bootId"}. */
    static IncidentNamespace of(JsonNode stored) {
        if (stored == null || !stored.isObject()) {
            return HOST;
        }
        return new IncidentNamespace(stored.path("inode").asLong(0), text(stored, "kind"), text(stored, "name"),
                text(stored, "containerId"), text(stored, "pod"), text(stored, "bootId"));
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** What is stored in incident.namespace (with the boot id, which the API leaves out). */
    Map<String, Object> stored() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inode", inode);
        m.put("kind", kind);
        m.put("name", name);
        m.put("containerId", containerId);
        m.put("pod", pod);
        m.put("bootId", bootId);
        return m;
    }

    @JsonIgnore
    public boolean host() {
        return "HOST".equals(kind);
    }

    /** The first 12 characters of the container id, as {@code docker ps} shows it; null without one. */
    @JsonIgnore
    public String shortId() {
        return containerId == null ? null : containerId.substring(0, Math.min(12, containerId.length()));
    }

    /** Known only by its inode (no ip-netns name, no container cgroup). */
    @JsonIgnore
    public boolean unnamed() {
        return name.equals("net:[" + inode + "]");
    }

    /** The model's record, for the explanations. */
    NetNamespace model() {
        NetNamespace.Kind k;
        try {
            k = NetNamespace.Kind.valueOf(kind);
        } catch (IllegalArgumentException e) {
            k = NetNamespace.Kind.NETNS;
        }
        return new NetNamespace(inode, k, name, containerId, pod, null, 0, Map.of(), 0);
    }
}
