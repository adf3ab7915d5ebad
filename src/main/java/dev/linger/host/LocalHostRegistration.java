package dev.linger.host;

import java.time.Clock;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import dev.linger.LingerConfig;
import dev.linger.audit.AuditLog;
import io.quarkus.runtime.StartupEvent;

/**
 * On the first start on a machine, registers that machine as a LOCAL host named after its
 * hostname, so the dashboard shows real data before anyone sets up SSH. Remembered per machine:
 * a LOCAL host an admin removed stays removed.
 */
@ApplicationScoped
public class LocalHostRegistration {

    private static final Logger LOG = Logger.getLogger(LocalHostRegistration.class);

    private final EntityManager em;
    private final MachineIdentity machine;
    private final AuditLog audit;
    private final Clock clock;
    private final LingerConfig config;

    LocalHostRegistration(EntityManager em, MachineIdentity machine, AuditLog audit, Clock clock, LingerConfig config) {
        this.em = em;
        this.machine = machine;
        this.audit = audit;
        this.clock = clock;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        register();
    }

    @Transactional
    public void register() {
        int firstTime = em.createNativeQuery("""
                INSERT INTO machine (machine_id, hostname, first_seen_at) VALUES (?1, ?2, ?3)
                ON CONFLICT (machine_id) DO NOTHING
                """).setParameter(1, machine.machineId()).setParameter(2, machine.hostname())
                .setParameter(3, clock.instant()).executeUpdate();
        if (firstTime == 0) {
            return;
        }
        String name = uniqueName(sanitize(machine.hostname()));
        Host h = new Host();
        h.name = name;
        h.address = "localhost";
        h.sshPort = 22;
        h.sshUser = "root";
        h.transport = Host.LOCAL;
        h.localMachineId = machine.machineId();
        h.collectIntervalSeconds = config.collect().defaultIntervalSeconds();
        h.nextDueAt = clock.instant();
        h.status = "UNKNOWN";
        h.createdAt = clock.instant();
        h.createdBy = AuditLog.SYSTEM;
        h.persist();
        em.flush();
        audit.record(AuditLog.SYSTEM, "host.created", "host", h.id,
                Map.of("name", name, "transport", Host.LOCAL, "reason", "first start on this machine"));
        LOG.infof("Registered this machine as LOCAL host '%s'", name);
    }

    private String uniqueName(String base) {
        String candidate = base;
        for (int i = 2; Host.count("lower(name) = lower(?1)", candidate) > 0; i++) {
            candidate = base + "-" + i;
        }
        return candidate;
    }

    static String sanitize(String hostname) {
        String s = hostname.replaceAll("[^A-Za-z0-9._-]", "-");
        s = s.replaceAll("^[^A-Za-z0-9]+", "");
        if (s.isEmpty()) {
            s = "local";
        }
        return s.length() > 60 ? s.substring(0, 60) : s;
    }
}
