-- Reconcile fixes (SPEC §13): a drift a person chose to fix becomes a task of its own, planned
-- from what the marketplace has (kept here as it was when the fix was made) and the agreement's
-- additions as they are when it is reviewed, and written by the same safe sync.

CREATE TABLE fixes (
    task_id      INTEGER PRIMARY KEY REFERENCES tasks (id) ON DELETE CASCADE,
    customer_id  TEXT NOT NULL,
    -- The reconciled product line: MPN, billing period and currency (`MPN|P1M|USD`).
    line_key     TEXT NOT NULL,
    product_key  TEXT NOT NULL,
    product_name TEXT NOT NULL,
    -- What Reconcile found (an `Outcome`), and in words.
    outcome      TEXT NOT NULL,
    words        TEXT NOT NULL,
    -- set: one addition of the marketplace's quantity and price goes on; end: every one ends.
    mode         TEXT NOT NULL,
    quantity     TEXT NOT NULL,
    unit_price   TEXT NOT NULL,
    unit_cost    TEXT NOT NULL,
    -- The agreement whose additions it fixes, when Reconcile found them on one.
    agreement_id INTEGER,
    created_at   TEXT NOT NULL
);
CREATE INDEX fixes_by_line ON fixes (customer_id, line_key);
