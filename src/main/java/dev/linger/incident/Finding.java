package dev.linger.incident;

import java.util.List;
import java.util.Objects;

import dev.linger.collect.NetNamespace;
import dev.linger.i18n.Text;

/**
 * One condition the {@link Detector} found in a snapshot; the incident service turns it into (or keeps) one
 * incident per (host, namespace, kind, port).
 *
 * @param port      the port the condition is about; 0 = host-wide
 * @param evidence  what was seen, the record of this kind; stored as jsonb, the explanation is said from it
 * @param namespace the network namespace the condition is in; never null (the host's own when not given)
 */
public record Finding(IncidentKind kind, int port, Severity severity, Evidence evidence, NetNamespace namespace) {

    /** A finding in the host's own network namespace. */
    public Finding(IncidentKind kind, int port, Severity severity, Evidence evidence) {
        this(kind, port, severity, evidence, null);
    }

    public Finding {
        namespace = namespace == null ? NetNamespace.host(0) : namespace;
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(evidence, "evidence");
        if (evidence.kind() != kind) {
            throw new IllegalArgumentException(kind + " with the evidence of " + evidence.kind());
        }
    }

    /** The explanation's facts, in no language yet. */
    public List<Text> facts() {
        return Explanations.facts(port, evidence, namespace, null);
    }

    /** The explanation as one Text. */
    public Text explanation() {
        return Explanations.text(facts());
    }
}
