package dev.linger.incident;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import dev.linger.collect.NetNamespace;

/**
 * One condition the {@link Detector} found in a snapshot; the incident service turns it into (or keeps) one
 * incident per (host, namespace, kind, port).
 *
 * @param port        the port the condition is about; 0 = host-wide
 * @param explanation plain words for the on-call engineer, built from the evidence
 * @param evidence    what was seen, stored as JSON: values are only String, Number, Boolean, List and Map of those
 * @param namespace   the network namespace the condition is in; never null (the host's own when not given)
 */
public record Finding(IncidentKind kind, int port, Severity severity, String explanation,
        Map<String, Object> evidence, NetNamespace namespace) {

    /** A finding in the host's own network namespace. */
    public Finding(IncidentKind kind, int port, Severity severity, String explanation, Map<String, Object> evidence) {
        this(kind, port, severity, explanation, evidence, null);
    }

    public Finding {
        namespace = namespace == null ? NetNamespace.host(0) : namespace;
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(severity, "severity");
        explanation = explanation == null ? "" : explanation;
        // keep the order the evidence was written in (it is shown as JSON), but no longer let callers change it
        evidence = evidence == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
    }
}
