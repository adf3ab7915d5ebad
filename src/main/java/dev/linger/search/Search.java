package dev.linger.search;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.linger.Row;
import dev.linger.SqlTimes;

/**
 * The search box (issue 18 item 4): hosts, incidents, jobs and runbooks that match what was typed, newest first, at
 * most {@link #LIMIT} of each. Incidents and jobs of removed hosts are found too: history outlives hosts. Every value
 * is a bound parameter; LIKE patterns take the typed %, _ and \ literally.
 */
@ApplicationScoped
public class Search {

    static final int LIMIT = 50;

    /** One thing found: its kind (HOST, INCIDENT, JOB, RUNBOOK), where it is, what to call it and when. */
    public record Hit(String type, long id, String link, String title, String detail, java.time.Instant at) {
    }

    public record Results(List<Hit> hosts, List<Hit> incidents, List<Hit> jobs, List<Hit> runbooks) {
        public int total() {
            return hosts.size() + incidents.size() + jobs.size() + runbooks.size();
        }
    }

    private final EntityManager em;

    Search(EntityManager em) {
        this.em = em;
    }

    @Transactional
    public Results find(SearchQuery q) {
        if (q.empty()) {
            return new Results(List.of(), List.of(), List.of(), List.of());
        }
        return new Results(hosts(q), incidents(q), jobs(q), runbooks(q));
    }

    private List<Hit> hosts(SearchQuery q) {
        if (q.container() != null || q.kind() != null || q.process() != null || q.from() != null || q.to() != null) {
            return List.of(); // a host is none of these
        }
        Where w = new Where();
        w.like(q.host(), "lower(h.name)", "lower(h.address)");
        if (q.port() != null) {
            w.add(" AND ?" + w.arg(q.port()) + " = ANY (h.service_ports)");
        }
        for (String word : q.words()) {
            w.like(word, "lower(h.name)", "lower(h.address)", "lower(array_to_string(h.labels, ' '))");
        }
        return w.run(em, "SELECT h.id, h.name, h.address, h.created_at AS at FROM host h WHERE h.archived_at IS NULL",
                " ORDER BY h.name", r -> new Hit("HOST", r.longValue("id"), "/hosts/" + r.longValue("id"),
                        r.string("name"), r.string("address"), r.instant("at")));
    }

    private List<Hit> incidents(SearchQuery q) {
        Where w = new Where();
        w.like(q.host(), "lower(h.name)");
        w.like(q.container(), "lower(i.namespace->>'name')", "lower(i.namespace->>'containerId')",
                "lower(i.namespace->>'pod')");
        if (q.port() != null) {
            w.add(" AND i.port = ?" + w.arg(q.port()));
        }
        if (q.kind() != null) {
            w.add(" AND i.kind = ?" + w.arg(q.kind()));
        }
        w.like(q.process(), "lower(i.evidence::text)");
        w.span(q, "i.opened_at");
        for (String word : q.words()) {
            w.like(word, "lower(h.name)", "lower(i.kind)", "lower(i.namespace::text)", "lower(i.evidence::text)",
                    "CAST(i.id AS text)");
        }
        return w.run(em, """
                SELECT i.id, i.kind, i.port, i.status, h.name AS host, i.opened_at AS at
                  FROM incident i JOIN host h ON h.id = i.host_id WHERE true""", " ORDER BY i.opened_at DESC",
                r -> new Hit("INCIDENT", r.longValue("id"), "/incidents/" + r.longValue("id"), r.string("kind"),
                        r.string("host") + (r.intValue("port") > 0 ? " :" + r.intValue("port") : "") + " · "
                                + r.string("status"), r.instant("at")));
    }

    private List<Hit> jobs(SearchQuery q) {
        Where w = new Where();
        w.like(q.host(), "lower(j.host_name)");
        w.like(q.container(), "lower(coalesce(j.plan->'namespace'::text, ''))");
        if (q.port() != null) {
            w.like(String.valueOf(q.port()), "lower(j.params::text)");
        }
        if (q.kind() != null) {
            w.add(" AND EXISTS (SELECT 1 FROM incident i WHERE i.id = j.incident_id AND i.kind = ?" + w.arg(q.kind())
                    + ")");
        }
        w.like(q.process(), "lower(j.params::text)");
        w.span(q, "j.created_at");
        for (String word : q.words()) {
            w.like(word, "lower(j.reason)", "lower(j.host_name)", "lower(j.requested_by)", "lower(r.slug)",
                    "lower(j.params::text)", "CAST(j.id AS text)");
        }
        return w.run(em, """
                SELECT j.id, r.slug, j.host_name, j.status, j.reason, j.created_at AS at
                  FROM job j JOIN runbook r ON r.id = j.runbook_id WHERE true""", " ORDER BY j.created_at DESC",
                row -> new Hit("JOB", row.longValue("id"), "/jobs/" + row.longValue("id"), row.string("slug"),
                        row.string("host_name") + " · " + row.string("status") + " · " + row.string("reason"),
                        row.instant("at")));
    }

    private List<Hit> runbooks(SearchQuery q) {
        if (q.host() != null || q.container() != null || q.port() != null || q.process() != null || q.from() != null
                || q.to() != null) {
            return List.of();
        }
        Where w = new Where();
        if (q.kind() != null) {
            w.add(" AND ?" + w.arg(q.kind()) + " = ANY (v.fits)");
        }
        for (String word : q.words()) {
            w.like(word, "lower(r.slug)", "lower(v.title)");
        }
        return w.run(em, """
                SELECT r.id, r.slug, v.title, v.created_at AS at
                  FROM runbook r JOIN runbook_version v ON v.runbook_id = r.id AND v.version = r.latest_version
                 WHERE true""",
                " ORDER BY r.slug", row -> new Hit("RUNBOOK", row.longValue("id"), "/runbooks/" + row.string("slug"),
                        row.string("slug"), row.string("title"), row.instant("at")));
    }

    /** A WHERE clause built of bound parameters only. */
    private static final class Where {
        private final StringBuilder sql = new StringBuilder();
        private final List<Object> args = new ArrayList<>();

        int arg(Object value) {
            args.add(value);
            return args.size();
        }

        void add(String clause) {
            sql.append(clause);
        }

        /** The value found in any of the columns (each already lower-cased). */
        void like(String value, String... columns) {
            if (value == null || value.isBlank()) {
                return;
            }
            int p = arg(SearchQuery.like(value));
            List<String> ors = new ArrayList<>();
            for (String c : columns) {
                ors.add(c + " LIKE ?" + p + " ESCAPE '\\'");
            }
            sql.append(" AND (").append(String.join(" OR ", ors)).append(")");
        }

        void span(SearchQuery q, String column) {
            if (q.from() != null) {
                sql.append(" AND ").append(column).append(" >= ?").append(arg(SqlTimes.utc(q.from())));
            }
            if (q.to() != null) {
                sql.append(" AND ").append(column).append(" < ?").append(arg(SqlTimes.utc(q.to())));
            }
        }

        List<Hit> run(EntityManager em, String select, String order, java.util.function.Function<Row, Hit> hit) {
            var query = Row.query(em, select + sql + order).setMaxResults(LIMIT);
            for (int i = 0; i < args.size(); i++) {
                query.setParameter(i + 1, args.get(i));
            }
            return Row.list(query).stream().map(hit).toList();
        }
    }

    /** For the API: the results as lists by type. */
    public static Map<String, Object> asJson(Results r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hosts", r.hosts());
        m.put("incidents", r.incidents());
        m.put("jobs", r.jobs());
        m.put("runbooks", r.runbooks());
        return m;
    }
}
