-- Issue 12, items 3 and 10: risk floors and runbooks an admin has reviewed.

-- Whether the person who saved this version was an admin: an admin-saved version is reviewed, and is offered
-- before an imported draft that is otherwise as safe. Set once at insert, like every other column.
ALTER TABLE runbook_version ADD COLUMN saved_by_admin boolean NOT NULL DEFAULT false;

-- Writing keepalive settings to /etc/sysctl.d outlives a reboot, so its risk floor is HIGH. Version 1 of the
-- shipped runbook said LOW: version 2 is the same runbook at HIGH (versions never change), with its translation.
INSERT INTO runbook_version (runbook_id, version, title, description, risk, fits, checks, params, steps,
                             change_note, source_document, created_at, created_by, saved_by_admin)
SELECT v.runbook_id, 2, v.title, v.description, 'HIGH', v.fits, v.checks, v.params, v.steps,
       'Risk raised to HIGH: persisting a setting outlives a reboot.', v.source_document, now(), 'linger', true
  FROM runbook_version v JOIN runbook r ON r.id = v.runbook_id
 WHERE r.slug = 'tcp-keepalive-persistent' AND r.shipped AND r.latest_version = 1 AND v.version = 1
   AND v.risk = 'LOW';

UPDATE runbook r SET latest_version = 2
 WHERE r.slug = 'tcp-keepalive-persistent' AND r.shipped AND r.latest_version = 1
   AND EXISTS (SELECT 1 FROM runbook_version v WHERE v.runbook_id = r.id AND v.version = 2);

INSERT INTO runbook_translation (runbook_version_id, lang, title, description, param_labels, step_texts)
SELECT v2.id, t.lang, t.title, t.description, t.param_labels, t.step_texts
  FROM runbook r
  JOIN runbook_version v1 ON v1.runbook_id = r.id AND v1.version = 1
  JOIN runbook_version v2 ON v2.runbook_id = r.id AND v2.version = 2
  JOIN runbook_translation t ON t.runbook_version_id = v1.id
 WHERE r.slug = 'tcp-keepalive-persistent' AND r.shipped
   AND NOT EXISTS (SELECT 1 FROM runbook_translation x WHERE x.runbook_version_id = v2.id AND x.lang = t.lang);
