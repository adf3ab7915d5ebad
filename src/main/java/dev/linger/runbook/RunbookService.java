package dev.linger.runbook;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.NotFoundException;

import com.fasterxml.jackson.core.type.TypeReference;

import dev.linger.InvalidInput;
import dev.linger.i18n.Text;
import dev.linger.JsonText;
import dev.linger.Row;
import dev.linger.SqlTimes;
import dev.linger.audit.AuditLog;
import dev.linger.incident.IncidentKind;
import io.quarkus.security.ForbiddenException;

/**
 * Runbooks and their versions. Saving checks the whole runbook first and never changes a stored
 * version: an edit adds one, in the same transaction as its audit event.
 */
@ApplicationScoped
public class RunbookService {

    private static final String SELECT = """
            SELECT v.id, r.slug, v.version, r.latest_version, r.shipped, v.title, v.description, v.risk,
                   array_to_json(v.fits)::text AS fits, array_to_json(v.checks)::text AS checks,
                   v.params::text AS params, v.steps::text AS steps,
                   v.change_note, v.source_document, v.created_at, v.created_by, v.saved_by_admin
              FROM runbook r JOIN runbook_version v ON v.runbook_id = r.id
            """;

    private final EntityManager em;
    private final AuditLog audit;
    private final Clock clock;
    private final JsonText jsonText;
    /** Immutable versions by id (bounded by the number of versions anyone ran). */
    private final java.util.concurrent.ConcurrentMap<Long, RunbookVersion> byId =
            new java.util.concurrent.ConcurrentHashMap<>();

    RunbookService(EntityManager em, AuditLog audit, Clock clock, JsonText jsonText) {
        this.em = em;
        this.audit = audit;
        this.clock = clock;
        this.jsonText = jsonText;
    }

    /** The latest version of every runbook, by title. */
    public List<RunbookVersion.Summary> list() {
        return latestVersions().stream()
                .map(v -> new RunbookVersion.Summary(v.slug(), v.definition().title(), v.version(),
                        v.definition().risk(), v.definition().fits().stream().map(Enum::name).toList(),
                        v.definition().steps().size(), v.shipped(), v.createdAt(), v.createdBy()))
                .toList();
    }

    /** The latest versions of the runbooks that fit an incident kind. */
    public List<RunbookVersion> fitting(IncidentKind kind) {
        return latestVersions().stream().filter(v -> v.definition().fits().contains(kind)).toList();
    }

    /** @param version null for the latest */
    public RunbookVersion get(String slug, Integer version) {
        return find(slug, version).orElseThrow(() -> new NotFoundException(version == null
                ? "There is no runbook '" + SysctlRules.abbreviate(String.valueOf(slug)) + "'."
                : "Runbook '" + SysctlRules.abbreviate(String.valueOf(slug)) + "' has no version " + version + "."));
    }

    public Optional<RunbookVersion> find(String slug, Integer version) {
        if (slug == null || !RunbookDefinition.SLUG.matcher(slug).matches()) {
            return Optional.empty();
        }
        String where = version == null ? " WHERE r.slug = ?1 AND v.version = r.latest_version"
                : " WHERE r.slug = ?1 AND v.version = ?2";
        var q = Row.query(em, SELECT + where).setParameter(1, slug);
        if (version != null) {
            q.setParameter(2, version);
        }
        return Row.list(q).stream().findFirst().map(this::view);
    }

    /** A version already read, without touching the database (or a transaction): the workers' fast path. */
    public Optional<RunbookVersion> cachedVersion(long id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** A version by its id, as a job refers to it. Versions never change, so each is read and checked once. */
    public Optional<RunbookVersion> version(long id) {
        RunbookVersion known = byId.get(id);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<RunbookVersion> found = Row.list(Row.query(em, SELECT + " WHERE v.id = ?1").setParameter(1, id))
                .stream().findFirst().map(this::view);
        found.ifPresent(v -> byId.put(id, v));
        return found;
    }

    /** Newest first. */
    public List<RunbookVersion.Info> versions(String slug) {
        get(slug, null);
        return Row.list(Row.query(em, """
                SELECT v.version, v.title, v.risk, v.change_note, v.created_at, v.created_by
                  FROM runbook r JOIN runbook_version v ON v.runbook_id = r.id
                 WHERE r.slug = ?1 ORDER BY v.version DESC
                """).setParameter(1, slug)).stream().map(r -> new RunbookVersion.Info(r.intValue("version"),
                        r.string("title"), Risk.valueOf(r.string("risk")), r.string("change_note"),
                        r.instant("created_at"), r.string("created_by"))).toList();
    }

    /**
     * Saves a new runbook as version 1. The slug comes from the input or, when absent, from the title.
     *
     * @param admin whether the actor is an admin: only admins save CRITICAL runbooks (the only ones with SHELL steps)
     */
    @Transactional
    public RunbookVersion create(String actor, boolean admin, RunbookInput input) {
        RunbookDefinition d = RunbookDefinition.check(input);
        RiskFloor.require(d);
        requireAdminFor(d.risk(), admin);
        String source = sourceDocument(input.sourceDocument());
        String slug;
        if (input.slug() != null && !input.slug().isBlank()) {
            slug = input.slug().strip();
            if (!RunbookDefinition.SLUG.matcher(slug).matches()) {
                throw InvalidInput.of("slug", Text.of("refuse.slugForm"));
            }
            if (exists(slug)) {
                throw InvalidInput.conflict("slug", Text.of("refuse.slugTaken", slug));
            }
        } else {
            slug = freeSlug(d.title());
        }
        Instant now = clock.instant();
        Number id = (Number) em.createNativeQuery("""
                INSERT INTO runbook (slug, latest_version, shipped, created_at, created_by)
                VALUES (?1, 1, false, ?2, ?3) RETURNING id
                """).setParameter(1, slug).setParameter(2, SqlTimes.utc(now)).setParameter(3, actor)
                .getSingleResult();
        insertVersion(id.longValue(), 1, d, input.changeNote(), source, now, actor, admin);
        audit.record(actor, "runbook.created", "runbook", slug, auditDetails(d, 1, source != null));
        return get(slug, 1);
    }

    /**
     * Adds a version to a runbook. {@code baseVersion}, when given, is the version the editor started
     * from: if someone saved another meanwhile, this save is refused rather than silently undoing theirs.
     */
    @Transactional
    public RunbookVersion addVersion(String actor, boolean admin, String slug, RunbookInput input,
            Integer baseVersion) {
        RunbookVersion current = get(slug, null);
        RunbookDefinition d = RunbookDefinition.check(input);
        RiskFloor.require(d);
        requireAdminFor(current.definition().risk(), admin);
        requireAdminFor(d.risk(), admin);
        if (!admin && d.risk().compareTo(current.definition().risk()) < 0) {
            // fewer approvers for the same change: only an admin decides that, and never under the floor
            throw new dev.linger.Forbidden(Text.of("refuse.riskLowerAdmin",
                    current.definition().risk().name(), d.risk().name()));
        }
        Row row = Row.list(Row.query(em, "SELECT id, latest_version FROM runbook WHERE slug = ?1 FOR UPDATE")
                .setParameter(1, slug)).get(0);
        long id = row.longValue("id");
        int latest = row.intValue("latest_version");
        if (baseVersion != null && baseVersion != latest) {
            throw InvalidInput.conflict("baseVersion", Text.of("refuse.versionRace", latest, baseVersion));
        }
        RunbookVersion latestVersion = latest == current.version() ? current : get(slug, latest);
        if (latestVersion.definition().equals(d)) {
            throw InvalidInput.of("steps", Text.of("refuse.nothingChanged", latest));
        }
        String source = input.sourceDocument() == null ? latestVersion.sourceDocument()
                : sourceDocument(input.sourceDocument());
        Instant now = clock.instant();
        int next = latest + 1;
        insertVersion(id, next, d, input.changeNote(), source, now, actor, admin);
        em.createNativeQuery("UPDATE runbook SET latest_version = ?2 WHERE id = ?1").setParameter(1, id)
                .setParameter(2, next).executeUpdate();
        Map<String, Object> details = auditDetails(d, next, source != null);
        details.put("changeNote", input.changeNote() == null ? "" : input.changeNote().strip());
        audit.record(actor, "runbook.version_added", "runbook", slug, details);
        return get(slug, next);
    }

    /**
     * A guard rail across the fleet: jobs of this runbook start at most this often per hour
     * (null: no limit). Not part of a version: it is how a team runs the runbook, not what it does.
     */
    @Transactional
    public Integer setMaxRunsPerHour(String actor, String slug, Integer maxRunsPerHour) {
        get(slug, null);
        if (maxRunsPerHour != null && (maxRunsPerHour < 1 || maxRunsPerHour > 100_000)) {
            throw InvalidInput.of("maxRunsPerHour", Text.of("refuse.maxRunsPerHour"));
        }
        em.createNativeQuery("UPDATE runbook SET max_runs_per_hour = ?2 WHERE slug = ?1").setParameter(1, slug)
                .setParameter(2, maxRunsPerHour).executeUpdate();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("maxRunsPerHour", maxRunsPerHour == null ? "none" : maxRunsPerHour);
        audit.record(actor, "runbook.limit_set", "runbook", slug, d);
        return maxRunsPerHour;
    }

    public Integer maxRunsPerHour(String slug) {
        @SuppressWarnings("unchecked")
        List<Object> r = em.createNativeQuery("SELECT max_runs_per_hour FROM runbook WHERE slug = ?1")
                .setParameter(1, slug).getResultList();
        return r.isEmpty() || r.get(0) == null ? null : ((Number) r.get(0)).intValue();
    }

    private void insertVersion(long runbookId, int version, RunbookDefinition d, String changeNote, String source,
            Instant now, String actor, boolean admin) {
        String note = changeNote == null ? "" : changeNote.strip();
        if (note.length() > 500) {
            throw InvalidInput.of("changeNote", Text.of("refuse.changeNoteLong", 500));
        }
        em.createNativeQuery("""
                INSERT INTO runbook_version (runbook_id, version, title, description, risk, fits, checks, params,
                                             steps, change_note, source_document, created_at, created_by,
                                             saved_by_admin)
                VALUES (?1, ?2, ?3, ?4, ?5, CAST(?6 AS text[]), CAST(?7 AS text[]), CAST(?8 AS jsonb),
                        CAST(?9 AS jsonb), ?10, ?11, ?12, ?13, ?14)
                """)
                .setParameter(1, runbookId).setParameter(2, version).setParameter(3, d.title())
                .setParameter(4, d.description()).setParameter(5, d.risk().name())
                .setParameter(6, pgArray(d.fits().stream().map(Enum::name).toList()))
                .setParameter(7, pgArray(d.checks().stream().map(Enum::name).toList()))
                .setParameter(8, write(StepJson.params(d.params()))).setParameter(9, write(StepJson.stored(d.steps())))
                .setParameter(10, note).setParameter(11, source).setParameter(12, SqlTimes.utc(now))
                .setParameter(13, actor).setParameter(14, admin).executeUpdate();
    }

    private List<RunbookVersion> latestVersions() {
        return Row.list(Row.query(em, SELECT + " WHERE v.version = r.latest_version ORDER BY v.title, r.slug"))
                .stream().map(this::view).toList();
    }

    private RunbookVersion view(Row r) {
        List<RunbookInput.ParamInput> params = read(r.string("params"), new TypeReference<>() {
        });
        List<Map<String, Object>> steps = read(r.string("steps"), new TypeReference<>() {
        });
        RunbookInput stored = new RunbookInput(r.string("slug"), r.string("title"), r.string("description"),
                r.string("risk"), read(r.string("fits"), new TypeReference<List<String>>() {
                }), params, read(r.string("checks"), new TypeReference<List<String>>() {
                }), steps, null, null);
        return new RunbookVersion(r.longValue("id"), r.string("slug"), r.intValue("version"),
                r.intValue("latest_version"), r.bool("shipped"), RunbookDefinition.check(stored),
                r.string("change_note"), r.string("source_document"), r.instant("created_at"), r.string("created_by"),
                r.bool("saved_by_admin"));
    }

    private static void requireAdminFor(Risk risk, boolean admin) {
        if (risk == Risk.CRITICAL && !admin) {
            throw new dev.linger.Forbidden(Text.of("refuse.criticalAdmin"));
        }
    }

    private static String sourceDocument(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        if (text.length() > DocumentImporter.MAX_CHARS) {
            throw InvalidInput.of("sourceDocument", Text.of("refuse.sourceDocumentLong",
                    DocumentImporter.MAX_CHARS));
        }
        return text.replace("\u0000", "");
    }

    private boolean exists(String slug) {
        return ((Number) em.createNativeQuery("SELECT count(*) FROM runbook WHERE slug = ?1").setParameter(1, slug)
                .getSingleResult()).longValue() > 0;
    }

    /** A readable slug from the title, made unique with a number; "runbook" when the title has no ASCII letters. */
    private String freeSlug(String title) {
        String base = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (base.length() > 50) {
            base = base.substring(0, 50).replaceAll("-+$", "");
        }
        if (base.length() < 2) {
            base = "runbook";
        }
        String slug = base;
        for (int n = 2; exists(slug); n++) {
            slug = base + "-" + n;
        }
        return slug;
    }

    private static Map<String, Object> auditDetails(RunbookDefinition d, int version, boolean imported) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", version);
        m.put("title", d.title());
        m.put("risk", d.risk().name());
        m.put("steps", d.steps().stream().map(s -> s.step().type().name()).toList());
        m.put("imported", imported);
        return m;
    }

    private static String pgArray(List<String> names) {
        // enum names only: letters, digits and '_', nothing to escape
        return "{" + String.join(",", names) + "}";
    }

    private String write(Object value) {
        return jsonText.write(value);
    }

    private <T> T read(String text, TypeReference<T> type) {
        return jsonText.read(text, type);
    }
}
