-- issue 15 (H4): an imported runbook version stored the stock English sentence 'Imported from a document.' as its
-- description. Linger no longer stores that sentence: a version with a source document and no description of its own
-- says "imported from a document" from the message catalogue (step.importedFromDocument), in the reader's language.
-- Only that exact stock sentence is cleared; a description a person wrote (in any language) stays as it is. The
-- immutability trigger is lifted for this one statement: what a version runs (steps, params, risk) does not change.
ALTER TABLE runbook_version DISABLE TRIGGER runbook_version_immutable;

UPDATE runbook_version
   SET description = ''
 WHERE description = 'Imported from a document.'
   AND source_document IS NOT NULL;

ALTER TABLE runbook_version ENABLE TRIGGER runbook_version_immutable;
