package dev.linger.incident;

import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonIgnore;

import dev.linger.i18n.Text;

/**
 * An incident as pages and the API show it.
 *
 * @param evidence  what was seen, the record of the incident's kind; null when the stored evidence cannot be read
 * @param namespace the network namespace the incident is in (what it was when the incident opened, names refreshed
 *                  while it lasts); the host's own for incidents from before namespaces; never null
 */
public record IncidentView(long id, long hostId, String hostName, String kind, int port, String severity,
        String status, Instant openedAt, Instant updatedAt, Instant acknowledgedAt, String acknowledgedBy,
        Instant resolvedAt, String resolvedBy, Evidence evidence, boolean hostArchived,
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

    /** The kind by its name ("CLOSE-WAIT leak"), in the reader's words. */
    @JsonIgnore
    public Text kindWord() {
        return IncidentService.kindName(kind) instanceof Text t ? t : Text.of("fact.verbatim", kind);
    }

    /** The status in the reader's words. */
    @JsonIgnore
    public Text statusWord() {
        return statusWord(status);
    }

    /** The severity in the reader's words (the badge). */
    @JsonIgnore
    public Text severityWord() {
        return "CRITICAL".equals(severity) ? Text.of("fact.severityCritical") : Text.of("fact.severityWarning");
    }

    /** OPEN, ACKNOWLEDGED, RESOLVED or ACTIVE (the list's filter) in the reader's words. */
    public static Text statusWord(String status) {
        return switch (status == null ? "" : status) {
            case "OPEN" -> Text.of("fact.statusOpen");
            case "ACKNOWLEDGED" -> Text.of("fact.statusAcknowledged");
            case "RESOLVED" -> Text.of("fact.statusResolved");
            default -> Text.of("fact.statusActive");
        };
    }

    /** The explanation's facts, said from the evidence; in no language yet. */
    @JsonIgnore
    public List<Text> facts() {
        return Explanations.facts(port, evidence, namespace.model(), hostName);
    }

    /** The explanation as one Text: {@code {incident.explanation.say}} on a page. */
    @JsonIgnore
    public Text explanation() {
        return Explanations.text(facts());
    }

    /** The evidence as tables, with the JSON for its "raw" toggle. */
    public EvidenceView evidenceView() {
        return EvidenceView.of(evidence);
    }

    /** The link an external alert came with (its graph or console), http(s) only; null for other incidents. */
    @JsonIgnore
    public String alertLink() {
        return evidence instanceof Evidence.ExternalAlert a ? a.link() : null;
    }

    /** The process the sockets belong to, for the prefill of a job's parameters; null when the evidence names none. */
    @JsonIgnore
    public Evidence.Owner owner() {
        return evidence == null ? null : evidence.leadOwner();
    }

    /**
     * One timeline entry: {@code message} is what happened, as a fact ({@code fact.…}); {@code type} OPENED,
     * REOPENED, EVIDENCE, ESCALATED, PAGED (sent to an escalation channel), ACKNOWLEDGED or RESOLVED; {@code actor} a user, "linger" or "job 12".
     */
    public record Event(Instant at, String type, String actor, Text message) {

        private static final Pattern JOB = Pattern.compile("job ([0-9]{1,18})");

        /** "alice acknowledged it", "linger opened the incident", in the reader's words. */
        @JsonIgnore
        public Text heading() {
            Object who = actor(actor);
            return switch (type) {
                case "OPENED" -> Text.of("fact.eventOpened", who);
                case "REOPENED" -> Text.of("fact.eventReopened", who);
                case "EVIDENCE" -> Text.of("fact.eventEvidence", who);
                case "ESCALATED" -> Text.of("fact.eventEscalated", who);
                case "PAGED" -> Text.of("fact.eventPaged", who);
                case "ACKNOWLEDGED" -> Text.of("fact.eventAcknowledged", who);
                default -> Text.of("fact.eventResolved", who);
            };
        }

        /** A person or "linger" as they are; a job as "job 12" in the reader's words. */
        static Object actor(String actor) {
            Matcher m = JOB.matcher(actor == null ? "" : actor);
            return m.matches() ? Text.of("fact.actorJob", Long.parseLong(m.group(1))) : actor == null ? "" : actor;
        }
    }
}
