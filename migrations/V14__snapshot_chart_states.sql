-- The host page's chart draws only notable states. On a node with hundreds of quiet containers each snapshot
-- counts thousands of LISTEN/ESTAB/TIME-WAIT rows (one per namespace and port), and reading them all back for
-- 6 hours of points made the page slow (issue 13: 500 namespaces, 720 points: 0.3 s in this one query).
-- SnapshotStore therefore writes a snapshot's notable counts beside its states; rows from before this migration
-- have none and are filtered when read.
ALTER TABLE snapshot ADD COLUMN chart_states jsonb;
