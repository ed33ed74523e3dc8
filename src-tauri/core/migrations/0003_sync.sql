-- Sync (SPEC §7): one row per attempt to write a task's reviewed plan to ConnectWise, and the
-- journal of its writes — each written here before it is sent and marked with its result after.

CREATE TABLE syncs (
    id             INTEGER PRIMARY KEY,
    task_id        INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    profile_name   TEXT NOT NULL,
    agreement_id   INTEGER NOT NULL,
    agreement_name TEXT NOT NULL,
    currency       TEXT NOT NULL,
    -- running | interrupted | failed | synced | changed | nothingToWrite | discarded
    state          TEXT NOT NULL,
    message        TEXT,
    changes        TEXT NOT NULL DEFAULT '[]',  -- JSON: what changed in ConnectWise since the review
    known_ids      TEXT NOT NULL DEFAULT '[]',  -- JSON: the agreement's addition ids before any write
    started_at     TEXT NOT NULL,
    finished_at    TEXT
);
CREATE INDEX syncs_by_task ON syncs (task_id, id);
CREATE INDEX syncs_by_state ON syncs (state);

CREATE TABLE sync_writes (
    id          INTEGER PRIMARY KEY,
    sync_id     INTEGER NOT NULL REFERENCES syncs (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    spec        TEXT NOT NULL,      -- JSON: what to write and how to recognise it in ConnectWise
    state       TEXT NOT NULL,      -- pending | sending | unknown | confirmed | failed
    addition_id INTEGER,            -- the ConnectWise addition written
    message     TEXT,
    attempts    INTEGER NOT NULL DEFAULT 0,
    updated_at  TEXT NOT NULL,
    UNIQUE (sync_id, seq)
);
