package dev.linger.host;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import dev.linger.transport.HostTarget;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A machine Linger watches. Scheduling columns are changed by guarded SQL in {@code HostSchedule}, not here. */
@Entity
@Table(name = "host")
public class Host extends PanacheEntityBase {

    public static final String LOCAL = "LOCAL";
    public static final String SSH = "SSH";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String name;
    public String address;
    @Column(name = "ssh_port")
    public int sshPort;
    @Column(name = "ssh_user")
    public String sshUser;
    public String transport;
    public boolean sudo;
    @Column(name = "local_machine_id")
    public String localMachineId;
    @Column(name = "collect_interval_seconds")
    public int collectIntervalSeconds;
    @Column(name = "next_due_at")
    public Instant nextDueAt;
    @Column(name = "lease_owner")
    public String leaseOwner;
    @Column(name = "lease_until")
    public Instant leaseUntil;
    public String status;
    @Column(name = "last_error")
    public String lastError;
    @Column(name = "last_collected_at")
    public Instant lastCollectedAt;
    @Column(name = "consecutive_failures")
    public int consecutiveFailures;
    @Column(name = "host_key_status")
    public String hostKeyStatus;
    @Column(name = "host_key_trusted")
    public String hostKeyTrusted;
    @Column(name = "host_key_presented")
    public String hostKeyPresented;
    @Column(name = "host_key_seen_at")
    public Instant hostKeySeenAt;
    /** Ports this host's services listen on: PORT_BLOCKED watches them. */
    @Column(name = "service_ports")
    public Integer[] servicePorts = new Integer[0];
    /** Labels such as "prod" or "team=payments": notification routes and silences match them. */
    @Column(name = "labels")
    public String[] labels = new String[0];
    /** Overrides linger.incidents.close-wait-count for this host. */
    @Column(name = "close_wait_threshold")
    public Integer closeWaitThreshold;
    /** Overrides linger.incidents.fin-wait1-age for this host. */
    @Column(name = "fin_wait1_age_seconds")
    public Integer finWait1AgeSeconds;
    /** HIGH and CRITICAL jobs start only inside this window (minutes after midnight UTC); null: any time. */
    @Column(name = "maintenance_start_minute")
    public Integer maintenanceStartMinute;
    @Column(name = "maintenance_end_minute")
    public Integer maintenanceEndMinute;
    /** Whether the host's ss -K works, as the latest collection probed it; only collections write it. */
    @Column(name = "can_kill_sockets", insertable = false, updatable = false)
    public Boolean canKillSockets;
    @Column(name = "created_at")
    public Instant createdAt;
    /** Set when the host was removed: it is kept for its incidents' and jobs' history, never collected again. */
    @Column(name = "archived_at")
    public Instant archivedAt;
    @Column(name = "archived_by")
    public String archivedBy;
    @Column(name = "created_by")
    public String createdBy;
    @Version
    public int version;

    public HostTarget target() {
        return new HostTarget(id, name, transport, address, sshPort, sshUser, sudo, hostKeyTrusted);
    }
}
