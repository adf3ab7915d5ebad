-- The runbooks Linger ships with, written from what was measured on real kernels (see docs and
-- design notes): the seed's orphan-limit drain with its blast radius, the targeted ss -K kill,
-- keepalive tuning that first checks it can help, and the triage of a CLOSE-WAIT owner.
-- Steps use the same JSON the API takes; RunbookShippedTest checks each against the step rules.

CREATE FUNCTION pg_temp.ship(p_slug text, p_title text, p_risk text, p_fits text[], p_checks text[],
                             p_params jsonb, p_steps jsonb, p_description text) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    rid bigint;
BEGIN
    INSERT INTO runbook (slug, latest_version, shipped, created_at, created_by)
    VALUES (p_slug, 1, true, now(), 'linger') RETURNING id INTO rid;
    INSERT INTO runbook_version (runbook_id, version, title, description, risk, fits, checks, params, steps,
                                 change_note, created_at, created_by)
    VALUES (rid, 1, p_title, p_description, p_risk, p_fits, p_checks, p_params, p_steps, 'Shipped with Linger.',
            now(), 'linger');
END;
$$;

SELECT pg_temp.ship('fin-wait1-drain-orphans', 'Drain FIN-WAIT-1 orphans with the orphan limit', 'HIGH',
    '{FIN_WAIT1_STUCK}', '{ORPHAN_LIMIT_PRESENT}',
    $json$[{"name": "port", "type": "PORT", "label": "Port", "from": "INCIDENT_PORT"}]$json$,
    $json$[
      {"type": "READ_SYSCTL", "key": "net.ipv4.tcp_max_orphans"},
      {"type": "SET_SYSCTL", "key": "net.ipv4.tcp_max_orphans", "value": "0"},
      {"type": "WAIT_SOCKETS", "state": "FIN_WAIT1", "port": "{port}", "atMost": 0, "pollSeconds": 1,
       "timeoutSeconds": 60},
      {"type": "RESTORE_SYSCTL", "key": "net.ipv4.tcp_max_orphans"},
      {"type": "VERIFY", "settleSeconds": 0}
    ]$json$,
    $text$Frees a port held by FIN-WAIT-1 sockets that their program has already closed (orphans). Our FIN is never acknowledged: the peer advertises a zero window (Send-Q stays full, timer "persist") or has vanished (timer "on"), and the kernel keeps retrying for many minutes.

With net.ipv4.tcp_max_orphans at 0 the kernel kills each orphan at its next timer and logs "TCP: too many orphaned sockets". Measured on Linux 6: three stuck sockets were gone within about 5 seconds. The job records the limit first, waits until the port has no FIN-WAIT-1 socket left, and then puts the recorded value back.

Blast radius: the limit is one value for the whole machine. While it is 0, every orphaned socket on the host dies, on every port, including connections other services are still closing gracefully. Keep the window short, and prefer the targeted ss -K runbook where the host supports it.

Not applicable inside a container or a network namespace: tcp_max_orphans exists only in the machine's initial network namespace. There, use the targeted kill.$text$);

SELECT pg_temp.ship('kill-fin-wait1-sockets', 'Kill one port''s FIN-WAIT-1 sockets (ss -K)', 'LOW',
    '{FIN_WAIT1_STUCK}', '{SOCKET_KILL_SUPPORTED}',
    $json$[{"name": "port", "type": "PORT", "label": "Port", "from": "INCIDENT_PORT"}]$json$,
    $json$[
      {"type": "KILL_SOCKETS", "state": "FIN_WAIT1", "port": "{port}"},
      {"type": "WAIT_SOCKETS", "state": "FIN_WAIT1", "port": "{port}", "atMost": 0, "pollSeconds": 1,
       "timeoutSeconds": 15},
      {"type": "VERIFY", "settleSeconds": 0}
    ]$json$,
    $text$Destroys exactly the FIN-WAIT-1 sockets whose local port is the incident's port, and nothing else: the smallest blast radius there is. Their program has already closed them; only the unsent bytes to a peer that stopped reading are lost.

Needs ss -K, which depends on the kernel option CONFIG_INET_DIAG_DESTROY; Linger checks for it on each collection and offers this runbook only where it works. Works inside containers and network namespaces too, where the orphan-limit drain cannot run.$text$);

SELECT pg_temp.ship('kill-close-wait-sockets', 'Kill one port''s CLOSE-WAIT sockets (ss -K)', 'HIGH',
    '{CLOSE_WAIT_LEAK}', '{SOCKET_KILL_SUPPORTED}',
    $json$[{"name": "port", "type": "PORT", "label": "Port", "from": "INCIDENT_PORT"}]$json$,
    $json$[
      {"type": "KILL_SOCKETS", "state": "CLOSE_WAIT", "port": "{port}"},
      {"type": "WAIT_SOCKETS", "state": "CLOSE_WAIT", "port": "{port}", "atMost": 0, "pollSeconds": 1,
       "timeoutSeconds": 15},
      {"type": "VERIFY", "settleSeconds": 0}
    ]$json$,
    $text$Destroys the CLOSE-WAIT sockets whose local port is the incident's port, so the port and the kernel memory behind them are free again. The peers closed these connections long ago; the kernel never times CLOSE-WAIT out by itself.

This treats the symptom. The program that owns the sockets still holds their descriptors: its next read or write on them fails, and it will leak again, because it does not close what its peers closed. Plan the owner's fix (see the triage runbook) and read the incident's evidence before approving: bytes in Recv-Q mean the program also stopped reading.

Needs ss -K (kernel option CONFIG_INET_DIAG_DESTROY); Linger offers this runbook only where it works.$text$);

SELECT pg_temp.ship('tcp-keepalive-runtime', 'Shorten TCP keepalive (runtime)', 'LOW',
    '{CLOSE_WAIT_LEAK}', '{KEEPALIVE_IN_USE}',
    $json$[{"name": "port", "type": "PORT", "label": "Port", "from": "INCIDENT_PORT"},
           {"name": "idle_seconds", "type": "INTEGER", "label": "Idle seconds before the first probe", "defaultValue": "600"},
           {"name": "interval_seconds", "type": "INTEGER", "label": "Seconds between probes", "defaultValue": "15"},
           {"name": "probes", "type": "INTEGER", "label": "Unanswered probes before the drop", "defaultValue": "3"}]$json$,
    $json$[
      {"type": "SET_SYSCTL", "key": "net.ipv4.tcp_keepalive_time", "value": "{idle_seconds}"},
      {"type": "SET_SYSCTL", "key": "net.ipv4.tcp_keepalive_intvl", "value": "{interval_seconds}"},
      {"type": "SET_SYSCTL", "key": "net.ipv4.tcp_keepalive_probes", "value": "{probes}"}
    ]$json$,
    $text$Makes the kernel find dead peers sooner: after the idle time it sends a probe, repeats it at the interval, and drops the connection after the given number of unanswered probes. A peer that is gone is then noticed after idle + interval × probes seconds (645 with the defaults) instead of more than two hours.

Check first whether it can help at all: keepalive only runs on sockets whose program set SO_KEEPALIVE (ss -o shows timer:(keepalive,…)). Linger looks at the port's CLOSE-WAIT sockets and says plainly when none of them has a keepalive timer: then these settings change nothing for them, and the fix is the owning process that does not close its sockets.

The values belong to the host's network namespace, apply to every keepalive socket in it, and are lost at reboot; the persistent runbook writes them to /etc/sysctl.d.$text$);

SELECT pg_temp.ship('tcp-keepalive-persistent', 'Shorten TCP keepalive (persistent, /etc/sysctl.d)', 'LOW',
    '{CLOSE_WAIT_LEAK}', '{KEEPALIVE_IN_USE}',
    $json$[{"name": "port", "type": "PORT", "label": "Port", "from": "INCIDENT_PORT"},
           {"name": "idle_seconds", "type": "INTEGER", "label": "Idle seconds before the first probe", "defaultValue": "1800"},
           {"name": "interval_seconds", "type": "INTEGER", "label": "Seconds between probes", "defaultValue": "15"},
           {"name": "probes", "type": "INTEGER", "label": "Unanswered probes before the drop", "defaultValue": "3"}]$json$,
    $json$[
      {"type": "PERSIST_SYSCTL", "file": "90-linger-keepalive.conf",
       "entries": {"net.ipv4.tcp_keepalive_time": "{idle_seconds}",
                   "net.ipv4.tcp_keepalive_intvl": "{interval_seconds}",
                   "net.ipv4.tcp_keepalive_probes": "{probes}"}}
    ]$json$,
    $text$Keeps shorter keepalive settings across reboots: writes them to /etc/sysctl.d/90-linger-keepalive.conf, which the boot reads like /etc/sysctl.conf, and applies that file at once with sysctl -p. Restarting the network service is neither needed nor safe.

Use it once the runtime values have proven themselves at the busiest hour. The same limit applies as for the runtime runbook: only sockets with SO_KEEPALIVE are affected, and Linger says so when the port's CLOSE-WAIT sockets have no keepalive timer.$text$);

SELECT pg_temp.ship('close-wait-owner-triage', 'Triage the process behind CLOSE-WAIT or a defunct owner', 'HIGH',
    '{CLOSE_WAIT_LEAK,DEFUNCT_OWNER}', '{}',
    $json$[{"name": "port", "type": "PORT", "label": "Port", "from": "INCIDENT_PORT"},
           {"name": "pid", "type": "PID", "label": "Owning process", "from": "OWNER_PID"}]$json$,
    $json$[
      {"type": "NOTE", "text": "Read the incident's evidence: the process holding the port's CLOSE-WAIT sockets, its state, its parent (PPID) and the parent's command. Bytes in Recv-Q mean the program stopped reading as well: no kernel setting will close these sockets, only the program or its end."},
      {"type": "NOTE", "text": "Decide what the process is. A defunct leader (state Z while other threads live; ss -p shows no owner) keeps its sockets until its last thread exits: ending the process is the fix. A true zombie (every thread gone) holds no sockets; its parent has not reaped it, so signal or restart the parent instead. A process whose parent is PID 1 or a subreaper is reaped on its own once it exits. If a supervisor such as systemd runs the service, restarting the unit is cleaner than a signal. Confirm here only when SIGTERM to the process below is the right call."},
      {"type": "SIGNAL_PROCESS", "pid": "{pid}", "signal": "TERM"},
      {"type": "WAIT_SOCKETS", "state": "CLOSE_WAIT", "port": "{port}", "atMost": 0, "pollSeconds": 2,
       "timeoutSeconds": 60},
      {"type": "VERIFY", "settleSeconds": 0}
    ]$json$,
    $text$For CLOSE-WAIT sockets that never go away, or a port held by a process that ps shows as defunct. CLOSE-WAIT means the peer closed and our program did not: the kernel never times it out, and keepalive helps only sockets that enabled it. The lasting fix is the owner.

The job walks through the decision (defunct leader, zombie, or orphan), sends SIGTERM to the owner once a person confirms, and waits for the port's CLOSE-WAIT sockets to go. High risk: the process ends, and a supervisor may or may not start it again.$text$);
