package dev.linger.incident;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the {@link Detector} saw, one record per incident kind: the facts an explanation is said from
 * ({@link Explanations}), the page's evidence tables ({@link EvidenceView}) and the prefill of job parameters
 * ({@link #leadOwner()}) all read the same record. Stored as jsonb in {@code incident.evidence}:
 * {@code {"kind":"CLOSE_WAIT_LEAK","direction":"incoming","count":23,…}}, absent values left out. Every string in it
 * comes from the monitored host, cleaned by the Detector and escaped by whoever shows it.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind")
@JsonSubTypes({ @JsonSubTypes.Type(value = Evidence.CloseWaitLeak.class, name = "CLOSE_WAIT_LEAK"),
        @JsonSubTypes.Type(value = Evidence.FinWait1Stuck.class, name = "FIN_WAIT1_STUCK"),
        @JsonSubTypes.Type(value = Evidence.DefunctOwner.class, name = "DEFUNCT_OWNER"),
        @JsonSubTypes.Type(value = Evidence.OrphanPressure.class, name = "ORPHAN_PRESSURE"),
        @JsonSubTypes.Type(value = Evidence.PortBlocked.class, name = "PORT_BLOCKED"),
        @JsonSubTypes.Type(value = Evidence.HostUnreachable.class, name = "HOST_UNREACHABLE"),
        @JsonSubTypes.Type(value = Evidence.HostKeyChanged.class, name = "HOST_KEY_CHANGED"),
        @JsonSubTypes.Type(value = Evidence.ExternalAlert.class, name = "EXTERNAL_ALERT") })
public sealed interface Evidence {

    String INCOMING = "incoming";
    String OUTGOING = "outgoing";

    /** The kind of incident this evidence is for. */
    @JsonIgnore
    IncidentKind kind();

    /** The process that holds the sockets (the defunct process itself, or the first owner); null when none. */
    @JsonIgnore
    default Owner leadOwner() {
        List<Owner> owners = owners();
        return owners.isEmpty() ? null : owners.get(0);
    }

    /** Every owner named, by pid then tid (at most 20). Not annotated: the records' own owners are stored. */
    default List<Owner> owners() {
        return List.of();
    }

    /** The sample sockets, most queued bytes first (at most 20). Not annotated, as {@link #owners()}. */
    default List<Sample> samples() {
        return List.of();
    }

    /** A process holding sockets, as /proc showed it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({ "pid", "tid", "command", "processState", "ppid" })
    record Owner(long pid, Long tid, String command, String processState, Long ppid) {
    }

    /** One socket line as ss printed it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({ "local", "peer", "recvQ", "sendQ", "timer" })
    record Sample(String local, String peer, long recvQ, long sendQ, String timer) {
    }

    /** The same port stuck the other way round too (the worse direction leads). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({ "direction", "count" })
    record OtherDirection(String direction, long count) {
        @JsonIgnore
        public boolean outgoing() {
            return OUTGOING.equals(direction);
        }
    }

    /** Another defunct process holding sockets on the same port. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({ "pid", "command", "sockets" })
    record OtherDefunct(long pid, String command, long sockets) {
    }

    /**
     * CLOSE-WAIT sockets on one port. {@code unreadBytesEach} only when every socket with unread bytes has the same
     * number; {@code since}/{@code ageSeconds} null when unknown; {@code growth} the counts of the last collections
     * when the number grew at each, else null.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({ "direction", "count", "withUnreadBytes", "unreadBytes", "unreadBytesEach", "usesKeepalive",
            "withKeepalive", "owners", "ownersOmitted", "sinceSnapshots", "since", "ageSeconds", "trigger",
            "threshold", "growth", "samples", "otherDirection" })
    record CloseWaitLeak(String direction, long count, long withUnreadBytes, long unreadBytes, Long unreadBytesEach,
            boolean usesKeepalive, long withKeepalive, List<Owner> owners, Long ownersOmitted, long sinceSnapshots,
            String since, Long ageSeconds, String trigger, long threshold, List<Long> growth, List<Sample> samples,
            OtherDirection otherDirection) implements Evidence {

        public CloseWaitLeak {
            owners = owners == null ? List.of() : List.copyOf(owners);
            samples = samples == null ? List.of() : List.copyOf(samples);
            growth = growth == null ? null : List.copyOf(growth);
        }

        @Override
        public IncidentKind kind() {
            return IncidentKind.CLOSE_WAIT_LEAK;
        }

        @JsonIgnore
        public boolean outgoing() {
            return OUTGOING.equals(direction);
        }

        CloseWaitLeak withOther(OtherDirection other) {
            return new CloseWaitLeak(direction, count, withUnreadBytes, unreadBytes, unreadBytesEach, usesKeepalive,
                    withKeepalive, owners, ownersOmitted, sinceSnapshots, since, ageSeconds, trigger, threshold, growth,
                    samples, other);
        }
    }

    /**
     * FIN-WAIT-1 sockets stuck on one port. {@code timers}: how many sockets run each timer ("on", "persist", …,
     * "none"); {@code tcpMaxOrphansPresent} false where the sysctl does not exist (a container), null when unknown.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({ "direction", "count", "sendQ", "timers", "orphaned", "owners", "ownersOmitted", "since",
            "ageSeconds", "sinceSnapshots", "thresholdSeconds", "hostOrphans", "tcpMaxOrphansPresent", "killCommand",
            "samples", "otherDirection" })
    record FinWait1Stuck(String direction, long count, long sendQ, Map<String, Long> timers, long orphaned,
            List<Owner> owners, Long ownersOmitted, String since, Long ageSeconds, long sinceSnapshots,
            long thresholdSeconds, Long hostOrphans, Boolean tcpMaxOrphansPresent, String killCommand,
            List<Sample> samples, OtherDirection otherDirection) implements Evidence {

        public FinWait1Stuck {
            owners = owners == null ? List.of() : List.copyOf(owners);
            samples = samples == null ? List.of() : List.copyOf(samples);
            timers = timers == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(timers));
        }

        @Override
        public IncidentKind kind() {
            return IncidentKind.FIN_WAIT1_STUCK;
        }

        @JsonIgnore
        public boolean outgoing() {
            return OUTGOING.equals(direction);
        }

        /** How many sockets run this timer. */
        public long timer(String name) {
            Long n = timers.get(name);
            return n == null ? 0 : n;
        }

        FinWait1Stuck withOther(OtherDirection other) {
            return new FinWait1Stuck(direction, count, sendQ, timers, orphaned, owners, ownersOmitted, since, ageSeconds,
                    sinceSnapshots, thresholdSeconds, hostOrphans, tcpMaxOrphansPresent, killCommand, samples, other);
        }
    }

    /**
     * A defunct process (main thread gone, other threads alive) that holds sockets. {@code states}: sockets by TCP
     * state; {@code ports}: sockets by port (keys are port numbers as text, as JSON keys are).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({ "pid", "command", "processState", "ppid", "parentCommand", "orphan", "threads", "sockets",
            "states", "tids", "ports", "samples", "otherDefunct" })
    record DefunctOwner(long pid, String command, String processState, long ppid, String parentCommand,
            boolean orphan, long threads, long sockets, Map<String, Long> states, List<Long> tids,
            Map<String, Long> ports, List<Sample> samples, List<OtherDefunct> otherDefunct) implements Evidence {

        public DefunctOwner {
            states = states == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(states));
            tids = tids == null ? List.of() : List.copyOf(tids);
            ports = ports == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(ports));
            samples = samples == null ? List.of() : List.copyOf(samples);
            otherDefunct = otherDefunct == null ? null : List.copyOf(otherDefunct);
        }

        @Override
        public IncidentKind kind() {
            return IncidentKind.DEFUNCT_OWNER;
        }

        /** The defunct process itself owns the sockets. */
        @Override
        public Owner leadOwner() {
            return new Owner(pid, tids.size() == 1 ? tids.get(0) : null, command, processState, ppid);
        }

        DefunctOwner withOthers(List<OtherDefunct> others) {
            return new DefunctOwner(pid, command, processState, ppid, parentCommand, orphan, threads, sockets, states,
                    tids, ports, samples, others);
        }
    }

    /** Orphaned TCP sockets against {@code net.ipv4.tcp_max_orphans}; {@code percent} rounded down to 0.1. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({ "orphans", "max", "percent", "warnPercent", "criticalPercent" })
    record OrphanPressure(long orphans, long max, double percent, long warnPercent, long criticalPercent)
            implements Evidence {

        @Override
        public IncidentKind kind() {
            return IncidentKind.ORPHAN_PRESSURE;
        }
    }

    /** A service port without a listener, held by {@code count} sockets (TIME-WAIT listed in states, not counted). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({ "count", "states", "owners", "ownersOmitted", "orphaned", "samples" })
    record PortBlocked(long count, Map<String, Long> states, List<Owner> owners, Long ownersOmitted, long orphaned,
            List<Sample> samples) implements Evidence {

        public PortBlocked {
            states = states == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(states));
            owners = owners == null ? List.of() : List.copyOf(owners);
            samples = samples == null ? List.of() : List.copyOf(samples);
        }

        @Override
        public IncidentKind kind() {
            return IncidentKind.PORT_BLOCKED;
        }
    }

    /** Linger could not collect the host; {@code error} as the transport said it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record HostUnreachable(String error) implements Evidence {
        @Override
        public IncidentKind kind() {
            return IncidentKind.HOST_UNREACHABLE;
        }
    }

    /** The host presented another SSH host key than the pinned one. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record HostKeyChanged(String error) implements Evidence {
        @Override
        public IncidentKind kind() {
            return IncidentKind.HOST_KEY_CHANGED;
        }
    }

    /**
     * The newest alert another monitoring system sent about the host: {@code source} ALERTMANAGER or NETDATA, its
     * name, severity, summary, link (its generator or console URL) and labels; {@code firing}: how many of that
     * system's alerts on the host fire now.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ExternalAlert(String source, String alert, String severity, String summary, String link,
            java.util.Map<String, String> labels, int firing) implements Evidence {
        @Override
        public IncidentKind kind() {
            return IncidentKind.EXTERNAL_ALERT;
        }
    }

    // ---- jsonb ----

    ObjectMapper JSON = new ObjectMapper();

    /** As stored in incident.evidence, with its kind. */
    default String toJson() {
        try {
            return JSON.writerFor(Evidence.class).writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** As the API and the page's raw toggle show it. */
    default JsonNode toTree() {
        try {
            return JSON.readTree(toJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Back from incident.evidence; the incident's kind decides the record when the stored JSON does not say it.
     * Null when the JSON cannot be read as this kind's evidence (then nothing is claimed from it).
     */
    static Evidence fromJson(String kind, String json) {
        if (json == null) {
            return null;
        }
        try {
            JsonNode tree = JSON.readTree(json);
            if (!(tree instanceof ObjectNode o)) {
                return null;
            }
            if (!o.hasNonNull("kind") && kind != null) {
                o.put("kind", kind);
            }
            return JSON.treeToValue(o, Evidence.class);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
