-- The task list says what a task's amount is (SPEC §2.3): a change of what the agreement bills
-- every period (`recurring`, per `period_unit` × `period_count`), charges billed once
-- (`one_time`), or both. Filled for the tasks already here from their cached orders.
ALTER TABLE tasks ADD COLUMN recurring TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN one_time TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN period_unit TEXT;
ALTER TABLE tasks ADD COLUMN period_count INTEGER;

-- What a task is found by (SPEC §2.3): its five searchable columns folded (lower case, accents
-- taken off), one per line; filled for the tasks already here. The next migration indexes it.
ALTER TABLE tasks ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
