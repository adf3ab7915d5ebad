package dev.linger.incident;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/** An incident as pages and the API show it. */
public record IncidentView(long id, long hostId, String hostName, String kind, int port, String severity,
        String status, Instant openedAt, Instant updatedAt, Instant acknowledgedAt, String acknowledgedBy,
        Instant resolvedAt, String resolvedBy, String explanation, JsonNode evidence, boolean hostArchived) {

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
