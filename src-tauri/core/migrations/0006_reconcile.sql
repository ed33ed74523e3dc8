-- Reconcile (SPEC §13): the subscriptions read for each customer and the last comparison of
-- each customer, each with its time, so the book opens offline and says how old it is.

CREATE TABLE reconcile_subscriptions (
    customer_id   TEXT PRIMARY KEY,
    customer_name TEXT NOT NULL,
    -- JSON: the customer's subscriptions as read (every status).
    body          TEXT NOT NULL,
    -- JSON: the records of the customer's list that could not be read, each named.
    unreadable    TEXT NOT NULL DEFAULT '[]',
    read_at       TEXT NOT NULL
);

CREATE TABLE reconcile_results (
    customer_id   TEXT PRIMARY KEY,
    -- JSON: the customer reconciled (its products' outcomes, both sides, effects).
    body          TEXT NOT NULL,
    drift         INTEGER NOT NULL,
    reconciled_at TEXT NOT NULL
);
