-- Bulk review and sync (SPEC §12): a batch is the tasks reviewed on one board and synced
-- together. Each task's state in the batch's sync is kept as it moves, so a batch interrupted
-- by a crash is found at the next start and finished (each task's own sync journal makes sure
-- nothing is written twice).

CREATE TABLE batches (
    id               INTEGER PRIMARY KEY,
    created_at       TEXT NOT NULL,
    -- When its sync first started; NULL while it is only a board.
    sync_started_at  TEXT,
    -- When its last sync run ended; NULL while a run is under way (or was cut off by a crash).
    sync_finished_at TEXT
);
CREATE INDEX batches_unfinished ON batches (sync_started_at, sync_finished_at);

CREATE TABLE batch_tasks (
    batch_id     INTEGER NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
    task_id      INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    -- The task's place on the board (the order of the selection).
    position     INTEGER NOT NULL,
    state        TEXT NOT NULL DEFAULT 'waiting',  -- waiting | syncing | synced | failed | notStarted
    message      TEXT,
    addition_ids TEXT NOT NULL DEFAULT '[]',       -- JSON: the ConnectWise additions its sync wrote
    sync_id      INTEGER REFERENCES syncs (id) ON DELETE SET NULL,
    -- JSON: the plan's figures (agreement, currency, writes, amounts) when its sync began, so
    -- the board and its CSV still show what was synced once the task is no longer planned.
    planned      TEXT,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (batch_id, task_id)
);
CREATE INDEX batch_tasks_by_position ON batch_tasks (batch_id, position);
