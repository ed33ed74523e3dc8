-- Many desks, one ConnectWise (SPEC §15): the key each create writes with its addition, kept
-- beside the write so what this desk wrote can be found by its key. Writes journaled before keys
-- existed have none; those whose journaled spec carries one get it.
ALTER TABLE sync_writes ADD COLUMN addition_key TEXT;
UPDATE sync_writes SET addition_key = json_extract(spec, '$.key')
 WHERE json_valid(spec) AND json_extract(spec, '$.key') IS NOT NULL;
CREATE INDEX sync_writes_by_key ON sync_writes (addition_key) WHERE addition_key IS NOT NULL;
