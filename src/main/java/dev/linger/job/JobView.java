package dev.linger.job;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.linger.i18n.Catalogue;
import dev.linger.i18n.RequestLanguage;
import dev.linger.i18n.Text;
import io.quarkus.arc.Arc;

/**
 * A job as pages and the API show it. {@code overrideReason}: why the proposer overrode a failed check (one more
 * approval is needed). {@code startsAt}: when an approved job that waits for its host's maintenance window will
 * start, null when it does not wait; {@code startNow…}: the approver who started it ahead of the window.
 * {@code netns}: the network namespace every command runs in (0 = the host's own); {@code namespace}: what it was when
 * the job was proposed ({inode, kind, name, containerId, shortId, pod, bootId}), null for the host's own.
 * {@code outcome} and each step's {@code message} and {@code progress} are facts ({@link Text}); pages say them in the
 * page's language, the API gives the words in the caller's ({@code Accept-Language}, else English) under the old
 * names and the fact beside them ({@code outcomeText}, {@code messageText}, {@code progressText}).
 */
public record JobView(long id, String status, String runbook, int runbookVersion, String runbookTitle, String risk,
        Long hostId, String hostName, Long incidentId, Long rollbackOf, Map<String, String> params, String reason,
        String requestedBy, Instant createdAt, Instant expiresAt, Instant queuedAt, Instant startedAt,
        Instant finishedAt, @JsonProperty("outcomeText") Text outcome, boolean overrideDrift, String planHash, @JsonIgnore Map<String, Object> plan,
        List<Approval> approvals, List<StepLog> steps, List<SysctlChange> sysctlChanges, int approvalsNeeded,
        boolean adminNeeded, List<Long> rollbacks, String overrideReason, String startNowBy, String startNowReason,
        Instant startNowAt, Instant startsAt, boolean hostArchived, long netns, Map<String, Object> namespace) {

    public record Approval(String approver, String decision, String comment, boolean admin, boolean current,
            Instant at) {

        /** An approval, not a rejection: the page says "alice approved" or "alice rejected". */
        @JsonIgnore
        public boolean approved() {
            return "APPROVE".equals(decision);
        }
    }

    public record StepLog(int n, String type, String command, String status, Integer exitCode, String stdout,
            String stderr, @JsonProperty("messageText") Text message, @JsonProperty("progressText") Text progress,
            String confirmedBy, Instant startedAt, Instant finishedAt) {

        @JsonProperty("message")
        public String messageWords() {
            return apiWords(message);
        }

        @JsonProperty("progress")
        public String progressWords() {
            return apiWords(progress);
        }
    }

    /** The outcome in the API caller's words (the page says {@code outcome} itself). */
    @JsonProperty("outcome")
    public String outcomeWords() {
        return apiWords(outcome);
    }

    /**
     * The plan as the API gives it: each fact (a step's blast radius and values, a check's message) in the caller's
     * words under its old name, and the fact beside it ({@code blastRadiusText}, {@code valuesText},
     * {@code messageText}). A plan stored before V17 holds words already and is given as stored.
     */
    @JsonProperty("plan")
    public Map<String, Object> planWords() {
        if (plan == null) {
            return null;
        }
        Map<String, Object> out = new java.util.LinkedHashMap<>(plan);
        if (plan.get("steps") instanceof List<?> steps) {
            out.put("steps", steps.stream().map(o -> {
                if (!(o instanceof Map<?, ?> m)) {
                    return o;
                }
                Map<String, Object> step = copy(m);
                said(step, "blastRadius");
                said(step, "changes");
                if (step.get("values") instanceof Map<?, ?> values
                        && values.values().stream().anyMatch(v -> v instanceof Map<?, ?>)) {
                    Map<String, Object> words = new java.util.LinkedHashMap<>();
                    values.forEach((k, v) -> words.put(String.valueOf(k), apiWords(StoredText.of(v))));
                    step.put("valuesText", values);
                    step.put("values", words);
                }
                return step;
            }).toList());
        }
        if (plan.get("checks") instanceof List<?> checks) {
            out.put("checks", checks.stream().map(o -> {
                if (!(o instanceof Map<?, ?> m)) {
                    return o;
                }
                Map<String, Object> check = copy(m);
                said(check, "message");
                return check;
            }).toList());
        }
        return out;
    }

    private static Map<String, Object> copy(Map<?, ?> m) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    /** A stored fact under {@code name} becomes words there, the fact moving to {@code name + "Text"}. */
    private static void said(Map<String, Object> m, String name) {
        Object v = m.get(name);
        if (v instanceof Map<?, ?> || v instanceof Text) {
            m.put(name + "Text", v);
            m.put(name, apiWords(StoredText.of(v)));
        }
    }

    /** A text in the language of the API request being answered; English outside a request. */
    static String apiWords(Text text) {
        if (text == null) {
            return null;
        }
        var arc = Arc.container();
        java.util.Locale locale = arc != null && arc.requestContext().isActive()
                ? arc.instance(RequestLanguage.class).get().apiLocale() : java.util.Locale.ENGLISH;
        return Catalogue.render(text, locale);
    }

    public record SysctlChange(long id, int step, String key, String before, String intended, String after,
            boolean persistent, String file, Instant recordedAt, Instant confirmedAt, Instant rolledBackAt,
            Long rolledBackBy) {
    }

    public boolean terminal() {
        return JobStatus.valueOf(status).terminal();
    }

    /** An approved job held back by its host's maintenance window. */
    public boolean waitingForWindow() {
        return startsAt != null;
    }

    /** "container web-1 (1a2b3c4d5e6f)" and the like for a job inside a namespace, as a fact; null for the host's own. */
    @JsonIgnore
    public Text namespaceShown() {
        if (netns == 0 || namespace == null) {
            return null;
        }
        Object kind = namespace.get("kind");
        Object name = namespace.get("name");
        Object shortId = namespace.get("shortId");
        String k = "CONTAINER".equals(kind) || "POD".equals(kind) ? String.valueOf(kind) : "RAW";
        return JobNamespace.whereText(k, name == null ? null : String.valueOf(name),
                shortId == null ? null : String.valueOf(shortId), null);
    }

    public boolean pending() {
        return "PENDING_APPROVAL".equals(status);
    }

    /** Approvals that count: decisions on the current plan. */
    public long currentApprovals() {
        return approvals.stream().filter(a -> a.current() && "APPROVE".equals(a.decision())).count();
    }
}
