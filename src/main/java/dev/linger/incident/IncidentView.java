package dev.linger.incident;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An incident as pages and the API show it.
 *
 * @param namespace the network namespace the incident is in (what it was when the incident opened, names refreshed
 *                  while it lasts); the host's own for incidents from before namespaces; never null
 */
public record IncidentView(long id, long hostId, String hostName, String kind, int port, String severity,
        String status, Instant openedAt, Instant updatedAt, Instant acknowledgedAt, String acknowledgedBy,
        Instant resolvedAt, String resolvedBy, String explanation, JsonNode evidence, boolean hostArchived,
        IncidentNamespace namespace) {

    public IncidentView {
        namespace = namespace == null ? IncidentNamespace.HOST : namespace;
    }

    public boolean active() {
        return !"RESOLVED".equals(status);
    }

    /** "9080" or "host" for host-wide incidents. */
    public String where() {
        return port == 0 ? "host" : ":" + port;
    }

    /** The evidence as indented JSON, for the page. */
    public String evidenceText() {
        return evidence == null ? "{}" : evidence.toPrettyString();
    }

    /** The evidence as tables, with the JSON for its "raw" toggle. */
    public EvidenceView evidenceView() {
        return EvidenceView.of(evidence);
    }

    /** One timeline entry. */
    public record Event(Instant at, String type, String actor, String text) {
    }
}
