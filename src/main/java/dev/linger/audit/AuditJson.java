package dev.linger.audit;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Audit events as JSON objects: for the API and for JSON Lines export. */
@ApplicationScoped
public class AuditJson {

    /** The wire form: details as a JSON object, not as a string of JSON. */
    public record Event(long seq, Instant at, String actor, String action, String subjectType, String subjectId,
            JsonNode details, String prevHash, String hash) {
    }

    private final ObjectMapper mapper;

    AuditJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public Event of(AuditEvent e) {
        JsonNode details;
        try {
            details = mapper.readTree(e.details());
        } catch (JsonProcessingException unreadable) {
            details = mapper.getNodeFactory().textNode(e.details());
        }
        return new Event(e.seq(), e.at(), e.actor(), e.action(), e.subjectType(), e.subjectId(), details,
                e.prevHash(), e.hash());
    }

    public String line(AuditEvent e) {
        try {
            return mapper.writeValueAsString(of(e));
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
