-- Issue 12 item 14: removing a host archives it instead of deleting it, so that its incidents, jobs,
-- step logs and sysctl records keep the host they happened on (and its name). Only snapshots go.

ALTER TABLE host ADD COLUMN archived_at timestamptz;
ALTER TABLE host ADD COLUMN archived_by text;
ALTER TABLE host ADD CONSTRAINT host_archived_complete CHECK ((archived_at IS NULL) = (archived_by IS NULL));

-- Names (and this machine's LOCAL registration) are unique among the hosts still watched: a new host
-- may take an archived host's name; the archived one keeps its id and its history.
DROP INDEX host_name_key;
CREATE UNIQUE INDEX host_name_key ON host (lower(name)) WHERE archived_at IS NULL;
DROP INDEX host_one_local_per_machine;
CREATE UNIQUE INDEX host_one_local_per_machine ON host (local_machine_id)
    WHERE transport = 'LOCAL' AND archived_at IS NULL;

-- History never goes with a host row any more: deleting a host that has incidents, jobs or sysctl
-- records is refused by the database instead of cascading (incidents) or forgetting the host (jobs).
ALTER TABLE incident DROP CONSTRAINT incident_host_id_fkey,
    ADD CONSTRAINT incident_host_id_fkey FOREIGN KEY (host_id) REFERENCES host (id) ON DELETE RESTRICT;
ALTER TABLE job DROP CONSTRAINT job_host_id_fkey,
    ADD CONSTRAINT job_host_id_fkey FOREIGN KEY (host_id) REFERENCES host (id) ON DELETE RESTRICT;
ALTER TABLE sysctl_change DROP CONSTRAINT sysctl_change_host_id_fkey,
    ADD CONSTRAINT sysctl_change_host_id_fkey FOREIGN KEY (host_id) REFERENCES host (id) ON DELETE RESTRICT;
