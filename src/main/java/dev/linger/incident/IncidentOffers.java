package dev.linger.incident;

import java.util.Comparator;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.linger.collect.SnapshotStore;
import dev.linger.collect.SnapshotView;
import dev.linger.host.HostService;
import dev.linger.host.HostView;
import dev.linger.runbook.Applicability;
import dev.linger.runbook.RiskFloor;
import dev.linger.runbook.RunbookService;
import dev.linger.runbook.RunbookTranslations;

/**
 * The runbooks that fit an incident, safest first: those no check rules out, then the narrowest blast
 * radius (one process, one port, one network namespace, the whole machine), then the lower risk, then
 * shipped or admin-reviewed runbooks before imported drafts.
 */
@ApplicationScoped
public class IncidentOffers {

    /**
     * A runbook that fits the incident's kind, judged against the incident's host. {@code applicable} is false
     * when any check is known to fail: the runbook cannot run there or cannot help, and gets no Remediate button.
     */
    public record Offer(String slug, String title, String risk, boolean applicable,
            List<Applicability.Verdict> verdicts, RiskFloor.Scope scope, boolean reviewed, boolean importedDraft) {
    }

    private final RunbookService runbooks;
    private final HostService hosts;
    private final SnapshotStore snapshots;
    private final RunbookTranslations runbookTexts;

    IncidentOffers(RunbookService runbooks, HostService hosts, SnapshotStore snapshots,
            RunbookTranslations runbookTexts) {
        this.runbooks = runbooks;
        this.hosts = hosts;
        this.snapshots = snapshots;
        this.runbookTexts = runbookTexts;
    }

    /** @param translated titles in the request's language where a translation exists (pages), else as stored */
    public List<Offer> offers(IncidentView incident, boolean translated) {
        HostView host = hosts.get(incident.hostId());
        // judged where the incident is: inside a container the orphan limit does not exist, its sockets are its own
        SnapshotView latest = snapshots.latest(incident.hostId()).map(v -> v.within(incident.namespace().key()))
                .orElse(null);
        Integer port = incident.port() == 0 ? null : incident.port();
        record Ranked(Offer offer, int scope, int risk) {
        }
        return runbooks.fitting(IncidentKind.valueOf(incident.kind())).stream().map(r -> {
            var verdicts = Applicability.evaluate(r.definition(), host.canKillSockets(), latest, port);
            RiskFloor.Result floor = RiskFloor.of(r.definition());
            // a version saved before floors existed may sit under its floor: rank it by what it really risks
            int risk = Math.max(r.definition().risk().ordinal(), floor.floor().ordinal());
            boolean applicable = verdicts.stream().noneMatch(v -> Boolean.FALSE.equals(v.holds()));
            String title = translated ? runbookTexts.title(r.slug(), r.version(), r.definition().title())
                    : r.definition().title();
            return new Ranked(new Offer(r.slug(), title, r.definition().risk().name(), applicable, verdicts,
                    floor.scope(), r.reviewed(), r.importedDraft()), floor.scope().ordinal(), risk);
        }).sorted(Comparator.comparing((Ranked o) -> !o.offer().applicable())
                .thenComparingInt(Ranked::scope)
                .thenComparingInt(Ranked::risk)
                .thenComparing(o -> o.offer().importedDraft()))
                .map(Ranked::offer).toList();
    }

}
