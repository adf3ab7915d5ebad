-- The host page's chart draws only notable states. On a node with hundreds of quiet containers each snapshot
-- counts thousands of LISTEN/ESTAB/TIME-WAIT rows (one per namespace and port), and reading them all back for
-- 6 hours of points made the page slow (issue 13: 500 namespaces, 720 points: 0.3 s in this one query).
-- A snapshot's notable counts are therefore kept beside its states when it is written; rows from before this
-- migration have none and are filtered when read.
ALTER TABLE snapshot ADD COLUMN chart_states jsonb;

CREATE FUNCTION snapshot_chart_states() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.chart_states := (SELECT coalesce(jsonb_agg(c), '[]'::jsonb) FROM jsonb_array_elements(NEW.states) c
                          WHERE c->>'state' NOT IN ('LISTEN', 'ESTAB', 'TIME-WAIT'));
    RETURN NEW;
END
$$;

CREATE TRIGGER snapshot_chart_states BEFORE INSERT OR UPDATE OF states ON snapshot
    FOR EACH ROW EXECUTE FUNCTION snapshot_chart_states();
