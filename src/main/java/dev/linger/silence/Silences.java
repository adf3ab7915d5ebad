package dev.linger.silence;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.linger.InvalidInput;
import dev.linger.NotFound;
import dev.linger.Row;
import dev.linger.SqlTimes;
import dev.linger.TextRules;
import dev.linger.audit.AuditLog;
import dev.linger.i18n.Text;
import dev.linger.incident.IncidentKind;
import dev.linger.incident.IncidentNamespace;

/**
 * Silences (issue 18 item 1): made, listed and ended here, each audited; {@link #silencing} is what notifications
 * ask before they send. A silence holds between its start and end, inside its weekly window if it has one, and
 * ends by itself: nothing needs to clean up after it.
 */
@ApplicationScoped
public class Silences {

    static final int MAX_COMMENT = 500;
    static final Duration LONGEST = Duration.ofDays(3650);
    private static final String COLUMNS = """
            s.id, s.host_id, h.name AS host_name, s.host_label, s.namespace, s.kind, s.port, s.starts_at, s.ends_at, s.weekly_days,
            CAST(s.weekly_from AS text) AS weekly_from, CAST(s.weekly_to AS text) AS weekly_to, s.time_zone,
            s.comment, s.created_by, s.created_at, s.ended_at, s.ended_by, s.job_id, s.reason::text AS reason""";

    /** What a person asks for. {@code endsAt} may be null with a weekly window (it then holds for ten years). */
    public record Request(Long hostId, String hostLabel, String namespace, String kind, Integer port, Instant startsAt, Instant endsAt,
            List<String> days, String from, String to, String timeZone, String comment) {
    }

    private final EntityManager em;
    private final AuditLog audit;
    private final Clock clock;

    Silences(EntityManager em, AuditLog audit, Clock clock) {
        this.em = em;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional
    public Silence create(String actor, Request r) {
        Map<String, Text> problems = new LinkedHashMap<>();
        Instant now = clock.instant();
        String namespace = blankToNull(r.namespace());
        String kind = blankToNull(r.kind());
        String hostLabel = blankToNull(r.hostLabel());
        if (r.hostId() == null && hostLabel == null && namespace == null && kind == null && r.port() == null) {
            problems.put("matchers", Text.of("refuse.silenceMatchesAll"));
        }
        if (r.hostId() != null && Row.first(Row.query(em, "SELECT id FROM host WHERE id = ?1 AND archived_at IS NULL")
                .setParameter(1, r.hostId())).isEmpty()) {
            problems.put("hostId", Text.of("refuse.noHost", r.hostId()));
        }
        if (hostLabel != null && !dev.linger.host.HostRules.LABEL.matcher(hostLabel).matches()) {
            problems.put("hostLabel", Text.of("refuse.silenceLabel"));
        }
        if (kind != null) {
            try {
                kind = IncidentKind.valueOf(kind.toUpperCase(Locale.ROOT)).name();
            } catch (IllegalArgumentException e) {
                problems.put("kind", Text.of("refuse.silenceKind", kind));
            }
        }
        if (r.port() != null && (r.port() < 0 || r.port() > 65535)) {
            problems.put("port", Text.of("refuse.portRange"));
        }
        if (namespace != null && (namespace.length() > 200 || TextRules.hiddenOrBroken(namespace))) {
            problems.put("namespace", Text.of("refuse.silenceNamespace"));
        }
        String comment = r.comment() == null ? "" : r.comment().strip();
        if (comment.isEmpty() || comment.length() > MAX_COMMENT || TextRules.hiddenOrBroken(comment)) {
            problems.put("comment", Text.of("refuse.silenceComment", MAX_COMMENT));
        }
        Silence.Weekly weekly = weekly(r, problems);
        Instant starts = r.startsAt() == null ? now : r.startsAt();
        Instant ends = r.endsAt() != null ? r.endsAt() : weekly != null ? starts.plus(LONGEST) : null;
        if (ends == null) {
            problems.put("endsAt", Text.of("refuse.silenceNoEnd"));
        } else if (!ends.isAfter(now)) {
            problems.put("endsAt", Text.of("refuse.silencePast"));
        } else if (!ends.isAfter(starts)) {
            problems.put("endsAt", Text.of("refuse.silenceEndBeforeStart"));
        } else if (Duration.between(starts, ends).compareTo(LONGEST) > 0) {
            problems.put("endsAt", Text.of("refuse.silenceTooLong"));
        }
        if (!problems.isEmpty()) {
            throw InvalidInput.of(problems);
        }
        long id = ((Number) em.createNativeQuery("""
                INSERT INTO silence (host_id, namespace, kind, port, starts_at, ends_at, weekly_days, weekly_from,
                                     weekly_to, time_zone, comment, created_by, created_at, host_label)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, CAST(?8 AS time), CAST(?9 AS time), ?10, ?11, ?12, ?13, ?14)
                RETURNING id
                """).setParameter(1, r.hostId()).setParameter(14, hostLabel).setParameter(2, namespace).setParameter(3, kind)
                .setParameter(4, r.port()).setParameter(5, SqlTimes.utc(starts)).setParameter(6, SqlTimes.utc(ends))
                .setParameter(7, weekly == null ? null : weekly.days().stream().map(d -> d.name().substring(0, 3))
                        .collect(Collectors.joining(",")))
                .setParameter(8, weekly == null ? null : weekly.from().toString())
                .setParameter(9, weekly == null ? null : weekly.to().toString())
                .setParameter(10, weekly == null ? null : weekly.zone().getId()).setParameter(11, comment)
                .setParameter(12, actor).setParameter(13, SqlTimes.utc(now)).getSingleResult()).longValue();
        Silence made = get(id);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("hostId", r.hostId());
        details.put("hostLabel", hostLabel);
        details.put("namespace", namespace);
        details.put("kind", kind);
        details.put("port", r.port());
        details.put("startsAt", starts.toString());
        details.put("endsAt", ends.toString());
        details.put("weekly", weekly == null ? null : made.weekly().toString());
        details.put("comment", comment);
        audit.record(actor, "silence.created", "silence", id, details);
        return made;
    }

    /**
     * One click on an incident: silence what it is about (its host, its namespace unless the host's own, its kind
     * and port) from now for {@code hours} (1 to 72).
     */
    @Transactional
    public Silence forIncident(String actor, dev.linger.incident.IncidentView incident, long hours, String comment) {
        if (hours < 1 || hours > 72) {
            throw InvalidInput.of("hours", Text.of("refuse.silenceHours"));
        }
        Instant now = clock.instant();
        Text reason = Text.of("silence.fromIncident", incident.id());
        boolean own = comment == null || comment.isBlank();
        String why = own ? dev.linger.i18n.Catalogue.render(reason, Locale.ENGLISH) : comment;
        String ns = "HOST".equals(incident.namespace().kind()) ? null : incident.namespace().name();
        Silence made = create(actor, new Request(incident.hostId(), null, ns, incident.kind(), incident.port(), now,
                now.plus(Duration.ofHours(hours)), null, null, null, null, why));
        return own ? withReason(made.id(), reason, null) : made;
    }

    /** How long a job's silence holds at most should its worker die before VERIFY (the job sweep interrupts it). */
    static final Duration JOB_SILENCE_BOUND = Duration.ofHours(2);

    /**
     * A job starts on the incident's host: its incident (host, namespace, kind, port) notifies nobody until the job's
     * VERIFY ({@link #jobVerifying}); the silence names the job. Null when the job is not for an incident.
     */
    @Transactional
    public Silence whileJobRuns(long jobId, dev.linger.incident.IncidentView incident) {
        Instant now = clock.instant();
        String ns = "HOST".equals(incident.namespace().kind()) ? null : incident.namespace().name();
        Text reason = Text.of("silence.whileJob", jobId);
        Silence made = create(jobActor(jobId), new Request(incident.hostId(), null, ns, incident.kind(),
                incident.port(), now, now.plus(JOB_SILENCE_BOUND), null, null, null, null,
                dev.linger.i18n.Catalogue.render(reason, Locale.ENGLISH)));
        return withReason(made.id(), reason, jobId);
    }

    /** The comment stays in English for the API; pages say the fact in their reader's language. */
    private Silence withReason(long id, Text reason, Long jobId) {
        em.createNativeQuery("UPDATE silence SET reason = CAST(?2 AS jsonb), job_id = ?3 WHERE id = ?1")
                .setParameter(1, id).setParameter(2, reason.toJson()).setParameter(3, jobId).executeUpdate();
        return get(id);
    }

    /** The job reached VERIFY, or stopped before it: its silence ends, so what is still wrong is told. */
    @Transactional
    public void jobVerifying(long jobId) {
        for (Row r : Row.list(Row.query(em, "SELECT id FROM silence WHERE job_id = ?1 AND ended_at IS NULL")
                .setParameter(1, jobId))) {
            end(jobActor(jobId), r.longValue("id"));
        }
    }

    /** The silence a job made, or null. */
    @Transactional
    public Silence forJob(long jobId) {
        return Row.first(Row.query(em, "SELECT " + COLUMNS + " FROM silence s LEFT JOIN host h ON h.id = s.host_id"
                + " WHERE s.job_id = ?1 ORDER BY s.id DESC").setParameter(1, jobId)).map(Silences::of).orElse(null);
    }

    private static String jobActor(long jobId) {
        return "job " + jobId;
    }

    /** Ends a silence now; ending one that is over already changes nothing. */
    @Transactional
    public Silence end(String actor, long id) {
        Silence s = get(id);
        if (!s.over(clock.instant())) {
            em.createNativeQuery("UPDATE silence SET ended_at = ?2, ended_by = ?3 WHERE id = ?1 AND ended_at IS NULL")
                    .setParameter(1, id).setParameter(2, SqlTimes.utc(clock.instant())).setParameter(3, actor)
                    .executeUpdate();
            audit.record(actor, "silence.ended", "silence", id, Map.of());
        }
        return get(id);
    }

    @Transactional
    public Silence get(long id) {
        return Row.first(Row.query(em, "SELECT " + COLUMNS + " FROM silence s LEFT JOIN host h ON h.id = s.host_id"
                + " WHERE s.id = ?1").setParameter(1, id)).map(Silences::of)
                .orElseThrow(() -> new NotFound(Text.of("refuse.noSilence", id)));
    }

    /** Silences not over yet (active now or later), or also the last 100 that are, newest first. */
    @Transactional
    public List<Silence> list(boolean withPast) {
        Instant now = clock.instant();
        String where = withPast ? "" : " WHERE s.ended_at IS NULL AND s.ends_at > ?1";
        var q = Row.query(em, "SELECT " + COLUMNS + " FROM silence s LEFT JOIN host h ON h.id = s.host_id" + where
                + " ORDER BY s.starts_at DESC, s.id DESC LIMIT 500");
        if (!withPast) {
            q.setParameter(1, SqlTimes.utc(now));
        }
        return Row.list(q).stream().map(Silences::of).toList();
    }

    /** The silences that hold now (for pages that mark silenced incidents). */
    @Transactional
    public List<Silence> activeNow() {
        Instant now = clock.instant();
        return list(false).stream().filter(s -> s.activeAt(now)).toList();
    }

    /** The silence that keeps this incident quiet now, if any. Joins the caller's transaction when there is one. */
    @Transactional
    public Optional<Silence> silencing(long hostId, IncidentNamespace ns, String kind, int port) {
        List<Silence> active = activeNow();
        if (active.isEmpty()) {
            return Optional.empty();
        }
        Set<String> labels = active.stream().anyMatch(s -> s.hostLabel() != null) ? hostLabels(hostId) : Set.of();
        return active.stream().filter(s -> s.matches(hostId, labels, ns, kind, port)).findFirst();
    }

    /** A host's labels (routes and silences match them). */
    @Transactional
    public Set<String> hostLabels(long hostId) {
        return Row.first(Row.query(em, "SELECT array_to_string(labels, ',') AS labels FROM host WHERE id = ?1")
                .setParameter(1, hostId)).map(r -> r.string("labels")).filter(l -> !l.isEmpty())
                .map(l -> Set.of(l.split(","))).orElse(Set.of());
    }

    private static Silence.Weekly weekly(Request r, Map<String, Text> problems) {
        boolean any = r.days() != null && !r.days().isEmpty() || r.from() != null || r.to() != null
                || r.timeZone() != null;
        if (!any) {
            return null;
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String d : r.days() == null ? List.<String>of() : r.days()) {
            DayOfWeek day = day(d);
            if (day == null) {
                problems.put("recurrence", Text.of("refuse.silenceDay", d == null ? "" : d));
                return null;
            }
            days.add(day);
        }
        if (days.isEmpty()) {
            problems.put("recurrence", Text.of("refuse.silenceNoDays"));
            return null;
        }
        try {
            LocalTime from = LocalTime.parse(r.from() == null ? "" : r.from().strip());
            LocalTime to = LocalTime.parse(r.to() == null ? "" : r.to().strip());
            ZoneId zone = ZoneId.of(r.timeZone() == null ? "" : r.timeZone().strip());
            if (from.equals(to)) {
                problems.put("recurrence", Text.of("refuse.silenceEmptyWindow"));
                return null;
            }
            return new Silence.Weekly(days, from, to, zone);
        } catch (DateTimeParseException e) {
            problems.put("recurrence", Text.of("refuse.silenceTime"));
        } catch (DateTimeException e) {
            problems.put("recurrence", Text.of("refuse.silenceZone", r.timeZone()));
        }
        return null;
    }

    private static DayOfWeek day(String d) {
        String wanted = d == null ? "" : d.strip().toUpperCase(Locale.ROOT);
        for (DayOfWeek day : DayOfWeek.values()) {
            if (wanted.length() >= 3 && day.name().startsWith(wanted)) {
                return day;
            }
        }
        return null;
    }

    private static Silence of(Row r) {
        String days = r.string("weekly_days");
        Silence.Weekly weekly = days == null ? null : new Silence.Weekly(
                java.util.Arrays.stream(days.split(",")).map(Silences::day).collect(
                        Collectors.toCollection(() -> EnumSet.noneOf(DayOfWeek.class))),
                LocalTime.parse(r.string("weekly_from")), LocalTime.parse(r.string("weekly_to")),
                ZoneId.of(r.string("time_zone")));
        return new Silence(r.longValue("id"), r.nullableLong("host_id"), r.string("host_name"), r.string("host_label"),
                r.string("namespace"),
                r.string("kind"), r.nullableInt("port"), r.instant("starts_at"),
                r.instant("ends_at"), weekly, r.string("comment"), r.string("created_by"), r.instant("created_at"),
                r.instant("ended_at"), r.string("ended_by"), r.nullableLong("job_id"),
                r.string("reason") == null ? null : Text.fromJson(r.string("reason")));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
