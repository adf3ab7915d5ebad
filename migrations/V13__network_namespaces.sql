-- Network namespaces (issue 13): a host's containers, pods and ip-netns namespaces each have their own socket
-- table and per-namespace sysctls. Everything refers to a namespace by its key: 0 for the host's own namespace
-- (what every row before this migration meant), the namespace's nsfs inode otherwise. An inode is unique on a host
-- until it reboots, so records that act on a namespace also keep the boot id it was seen in.

-- [{"inode", "kind", "name", "containerId", "pod", "hostname", "pid", "sysctls", "replaced"}], the host's own first
ALTER TABLE snapshot ADD COLUMN namespaces jsonb NOT NULL DEFAULT '[]'::jsonb;
ALTER TABLE snapshot ADD COLUMN boot_id text;

ALTER TABLE incident ADD COLUMN netns bigint NOT NULL DEFAULT 0 CHECK (netns >= 0);
-- what the namespace was when the incident opened: {"inode", "kind", "name", "containerId", "pod", "bootId"}
ALTER TABLE incident ADD COLUMN namespace jsonb;
DROP INDEX incident_one_active;
CREATE UNIQUE INDEX incident_one_active ON incident (host_id, netns, kind, port) WHERE status <> 'RESOLVED';
DROP INDEX incident_host_idx;
CREATE INDEX incident_host_idx ON incident (host_id, netns, kind, port, resolved_at DESC);

-- A job acts inside one namespace of its host: 0 = the host's own; otherwise every command runs under
-- nsenter --net=/proc/PID/ns/net with a PID found again at run time from this inode, on this boot only.
ALTER TABLE job ADD COLUMN netns bigint NOT NULL DEFAULT 0 CHECK (netns >= 0);
ALTER TABLE job ADD COLUMN netns_boot text;
ALTER TABLE job ADD COLUMN namespace jsonb;
ALTER TABLE job ADD CONSTRAINT job_netns_has_boot CHECK (netns = 0 OR netns_boot IS NOT NULL);
