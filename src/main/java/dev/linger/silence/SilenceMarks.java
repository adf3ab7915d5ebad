package dev.linger.silence;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

import dev.linger.incident.IncidentView;

/** For pages ({@code inject:silenced.of(incident)}): the silence that keeps an incident quiet now, read once per page. */
@Named("silenced")
@RequestScoped
public class SilenceMarks {

    private final Silences silences;
    private List<Silence> active;
    private final Map<Long, Set<String>> labels = new HashMap<>();

    SilenceMarks(Silences silences) {
        this.silences = silences;
    }

    /** The silence a job made for its incident while it ran (job page), or null. */
    public Silence forJob(long jobId) {
        return silences.forJob(jobId);
    }

    /** The silence holding for this incident now, or null. Resolved incidents are not marked. */
    public Silence of(IncidentView incident) {
        if (!incident.active()) {
            return null;
        }
        if (active == null) {
            active = silences.activeNow();
        }
        if (active.isEmpty()) {
            return null;
        }
        Set<String> hostLabels = active.stream().anyMatch(s -> s.hostLabel() != null)
                ? labels.computeIfAbsent(incident.hostId(), silences::hostLabels) : Set.of();
        return active.stream().filter(s -> s.matches(incident.hostId(), hostLabels, incident.namespace(),
                incident.kind(), incident.port())).findFirst().orElse(null);
    }
}
