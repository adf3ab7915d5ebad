-- Hosts Linger watches, how it reaches them, when each is next due, and what each collection saw.

CREATE TABLE host (
    id                       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                     text        NOT NULL,
    address                  text        NOT NULL,
    ssh_port                 integer     NOT NULL DEFAULT 22,
    ssh_user                 text        NOT NULL DEFAULT 'root',
    transport                text        NOT NULL,
    sudo                     boolean     NOT NULL DEFAULT false,
    -- a LOCAL host is the machine some Linger instance runs on: only an instance on that machine collects it
    local_machine_id         text,
    collect_interval_seconds integer     NOT NULL DEFAULT 30,
    next_due_at              timestamptz NOT NULL,
    lease_owner              text,
    lease_until              timestamptz,
    status                   text        NOT NULL DEFAULT 'UNKNOWN',
    last_error               text,
    last_collected_at        timestamptz,
    consecutive_failures     integer     NOT NULL DEFAULT 0,
    host_key_status          text,
    host_key_trusted         text,
    host_key_presented       text,
    host_key_seen_at         timestamptz,
    created_at               timestamptz NOT NULL,
    created_by               text        NOT NULL,
    version                  integer     NOT NULL DEFAULT 0,
    CONSTRAINT host_name_format CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$'),
    CONSTRAINT host_port_range CHECK (ssh_port BETWEEN 1 AND 65535),
    CONSTRAINT host_transport_known CHECK (transport IN ('LOCAL', 'SSH')),
    CONSTRAINT host_local_has_machine CHECK ((transport = 'LOCAL') = (local_machine_id IS NOT NULL)),
    CONSTRAINT host_interval_range CHECK (collect_interval_seconds BETWEEN 5 AND 86400),
    CONSTRAINT host_status_known CHECK (status IN ('UNKNOWN', 'UP', 'UNREACHABLE')),
    CONSTRAINT host_key_status_known CHECK (host_key_status IN ('PENDING', 'TRUSTED', 'CHANGED')),
    CONSTRAINT host_lease_complete CHECK ((lease_owner IS NULL) = (lease_until IS NULL))
);
CREATE UNIQUE INDEX host_name_key ON host (lower(name));
CREATE UNIQUE INDEX host_one_local_per_machine ON host (local_machine_id) WHERE transport = 'LOCAL';
-- matches the claim: due hosts in due order
CREATE INDEX host_due_idx ON host (next_due_at);

-- Machines Linger instances have run on; remembers that the first start registered the LOCAL host,
-- so that an admin who removes it is not overruled at the next restart.
CREATE TABLE machine (
    machine_id    text PRIMARY KEY,
    hostname      text        NOT NULL,
    first_seen_at timestamptz NOT NULL
);

CREATE TABLE snapshot (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    host_id      bigint      NOT NULL REFERENCES host (id) ON DELETE CASCADE,
    taken_at     timestamptz NOT NULL,
    duration_ms  integer     NOT NULL,
    source       text,
    -- [{"port", "remote", "state", "count"}]: small, kept after downsampling for the charts
    states       jsonb       NOT NULL,
    sysctls      jsonb       NOT NULL DEFAULT '{}'::jsonb,
    sockstat     jsonb,
    processes    jsonb,
    -- the notable sockets as gzip-compressed JSON: tens of thousands of rows written in one value
    sockets_gz   bytea,
    socket_count integer     NOT NULL,
    -- the processes that held notable sockets: the next collection looks in their fd tables first
    owner_pids   integer[]   NOT NULL DEFAULT '{}',
    problems     jsonb       NOT NULL DEFAULT '[]'::jsonb,
    detail       boolean     NOT NULL DEFAULT true,
    CONSTRAINT snapshot_detail_kept CHECK (detail OR sockets_gz IS NULL)
);
CREATE INDEX snapshot_host_time_idx ON snapshot (host_id, taken_at DESC);
CREATE INDEX snapshot_time_idx ON snapshot (taken_at) WHERE detail;
