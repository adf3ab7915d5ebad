package dev.linger.note;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.linger.InvalidInput;
import dev.linger.NotFound;
import dev.linger.Row;
import dev.linger.SqlTimes;
import dev.linger.audit.AuditLog;
import dev.linger.i18n.Text;
import dev.linger.incident.Notifications;

/**
 * Notes on incidents and jobs (issue 18 item 4): written here, audited, read back oldest first. A note on an
 * incident may be sent to the channels that heard of it ({@code notify}), unless a silence holds.
 */
@ApplicationScoped
public class Notes {

    static final int MAX = 10_000;

    private final EntityManager em;
    private final AuditLog audit;
    private final Clock clock;
    private final Notifications notifications;

    Notes(EntityManager em, AuditLog audit, Clock clock, Notifications notifications) {
        this.em = em;
        this.audit = audit;
        this.clock = clock;
        this.notifications = notifications;
    }

    @Transactional
    public Note onIncident(String author, long incidentId, String body, boolean notify) {
        exists("SELECT id FROM incident WHERE id = ?1", incidentId, Text.of("refuse.noIncident", incidentId));
        String text = checked(body);
        long id = insert(author, incidentId, null, text);
        boolean sent = notify && notifications.note(incidentId, author, text);
        if (sent) {
            em.createNativeQuery("UPDATE note SET notified = true WHERE id = ?1").setParameter(1, id).executeUpdate();
        }
        audit.record(author, "note.added", "incident", incidentId, Map.of("note", id, "length", text.length(),
                "notified", sent));
        return get(id);
    }

    @Transactional
    public Note onJob(String author, long jobId, String body) {
        exists("SELECT id FROM job WHERE id = ?1", jobId, Text.of("refuse.noJob", jobId));
        String text = checked(body);
        long id = insert(author, null, jobId, text);
        audit.record(author, "note.added", "job", jobId, Map.of("note", id, "length", text.length()));
        return get(id);
    }

    @Transactional
    public List<Note> ofIncident(long incidentId) {
        return list("incident_id", incidentId);
    }

    @Transactional
    public List<Note> ofJob(long jobId) {
        return list("job_id", jobId);
    }

    private List<Note> list(String column, long id) {
        return Row.list(Row.query(em, "SELECT id, incident_id, job_id, author, body, notified, created_at FROM note"
                + " WHERE " + column + " = ?1 ORDER BY created_at, id LIMIT 500").setParameter(1, id)).stream()
                .map(Notes::of).toList();
    }

    private Note get(long id) {
        return Row.first(Row.query(em, "SELECT id, incident_id, job_id, author, body, notified, created_at FROM note"
                + " WHERE id = ?1").setParameter(1, id)).map(Notes::of).orElseThrow();
    }

    private long insert(String author, Long incidentId, Long jobId, String body) {
        return ((Number) em.createNativeQuery("""
                INSERT INTO note (incident_id, job_id, author, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
                RETURNING id
                """).setParameter(1, incidentId).setParameter(2, jobId).setParameter(3, author).setParameter(4, body)
                .setParameter(5, SqlTimes.utc(clock.instant())).getSingleResult()).longValue();
    }

    private void exists(String sql, long id, Text missing) {
        if (Row.first(Row.query(em, sql).setParameter(1, id)).isEmpty()) {
            throw new NotFound(missing);
        }
    }

    /** 1 to 10,000 characters; no control characters but line breaks and tabs. */
    private static String checked(String body) {
        String text = body == null ? "" : body.replace("\r\n", "\n").strip();
        if (text.isEmpty() || text.length() > MAX || text.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\t')
                || dev.linger.TextRules.hiddenOrBroken(text.replace("\n", " ").replace("\t", " "))) {
            throw InvalidInput.of("text", Text.of("refuse.noteText", (long) MAX));
        }
        return text;
    }

    private static Note of(Row r) {
        return new Note(r.longValue("id"), r.nullableLong("incident_id"), r.nullableLong("job_id"), r.string("author"),
                r.string("body"), r.bool("notified"), r.instant("created_at"));
    }
}
