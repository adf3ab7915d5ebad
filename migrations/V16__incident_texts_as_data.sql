-- Issue 15: incidents store facts, not English. The evidence becomes the JSON of its typed record (the incident's
-- kind in it, owners always objects), the explanation is said from it when shown (its stored English goes), and
-- each timeline entry is a fact: {"key":"fact.…","args":[…]} in incident_event.message. Known English forms become
-- their message; anything else (the explanations older entries carried) becomes fact.verbatim, shown as it was.

-- owners listed as bare pids (the earliest evidence) become {"pid": n}
UPDATE incident
   SET evidence = jsonb_set(evidence, '{owners}',
       (SELECT coalesce(jsonb_agg(CASE WHEN jsonb_typeof(o) = 'number' THEN jsonb_build_object('pid', o) ELSE o END
                                  ORDER BY n), '[]'::jsonb)
          FROM jsonb_array_elements(evidence -> 'owners') WITH ORDINALITY AS e(o, n)))
 WHERE jsonb_typeof(evidence) = 'object' AND jsonb_typeof(evidence -> 'owners') = 'array';

-- the record's discriminator: the incident's kind
UPDATE incident
   SET evidence = jsonb_build_object('kind', kind)
       || CASE WHEN jsonb_typeof(evidence) = 'object' THEN evidence - 'kind' ELSE '{}'::jsonb END;

ALTER TABLE incident DROP COLUMN explanation;

ALTER TABLE incident_event ADD COLUMN message jsonb;

UPDATE incident_event SET message = CASE
    WHEN text ~ '^The condition is back: ' THEN
        jsonb_build_object('key', 'fact.conditionBack', 'args', jsonb_build_array(
            jsonb_build_object('key', 'fact.verbatim', 'args',
                jsonb_build_array(substring(text FROM char_length('The condition is back: ') + 1)))))
    WHEN type = 'ACKNOWLEDGED' AND text = actor || ' is on it.' THEN
        jsonb_build_object('key', 'fact.isOnIt', 'args', jsonb_build_array(actor))
    WHEN type = 'RESOLVED' AND text = actor || ' resolved it.' THEN
        jsonb_build_object('key', 'fact.resolvedByHand', 'args', jsonb_build_array(actor))
    WHEN type = 'RESOLVED' AND text ~ '^The condition has been clear for [0-9]{1,9} collections\.$' THEN
        jsonb_build_object('key', 'fact.clearFor', 'args', jsonb_build_array(
            (regexp_match(text, '^The condition has been clear for ([0-9]+) collections\.$'))[1]::bigint))
    WHEN type = 'RESOLVED' AND text = 'Linger collects this host normally again.' THEN
        jsonb_build_object('key', 'fact.collectsAgain', 'args', '[]'::jsonb)
    WHEN type = 'RESOLVED' AND text = actor || ' trusted the new host key.' THEN
        jsonb_build_object('key', 'fact.keyTrusted', 'args', jsonb_build_array(actor))
    WHEN type = 'RESOLVED' AND text = actor || ' removed the host; its history is kept.' THEN
        jsonb_build_object('key', 'fact.hostRemoved', 'args', jsonb_build_array(actor))
    WHEN type = 'RESOLVED' AND text ~ '^Job [0-9]{1,18} fixed it: the next collection found the condition gone\.$' THEN
        jsonb_build_object('key', 'fact.jobFixed', 'args', jsonb_build_array(
            (regexp_match(text, '^Job ([0-9]+) fixed it'))[1]::bigint))
    ELSE jsonb_build_object('key', 'fact.verbatim', 'args', jsonb_build_array(text))
END;

ALTER TABLE incident_event ALTER COLUMN message SET NOT NULL;
ALTER TABLE incident_event DROP COLUMN text;
