-- The offline cache of one profile: marketplace data, tasks and the Check Changes history.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE customers (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    body       TEXT NOT NULL,          -- the wire record as JSON
    fetched_at TEXT NOT NULL
);

CREATE TABLE subscriptions (
    id          TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL,
    body        TEXT NOT NULL,
    fetched_at  TEXT NOT NULL
);

CREATE TABLE orders (
    id            TEXT PRIMARY KEY,
    order_type    TEXT NOT NULL,
    customer_id   TEXT NOT NULL,
    creation_date TEXT NOT NULL,       -- ISO-8601 UTC
    status        TEXT NOT NULL,
    body          TEXT NOT NULL,       -- the order with its products as JSON
    fetched_at    TEXT NOT NULL
);

-- Orders read that made no task, with why. Not-completed ones are looked at again.
CREATE TABLE skipped_orders (
    order_id      TEXT PRIMARY KEY,
    reason        TEXT NOT NULL,
    order_type    TEXT NOT NULL,
    status        TEXT NOT NULL,
    customer_id   TEXT NOT NULL,
    creation_date TEXT NOT NULL,
    seen_at       TEXT NOT NULL
);

CREATE TABLE tasks (
    id                INTEGER PRIMARY KEY,
    order_id          TEXT NOT NULL UNIQUE REFERENCES orders(id),
    task_type         TEXT NOT NULL,
    status            TEXT NOT NULL DEFAULT 'pending',
    order_date        TEXT NOT NULL,
    customer_id       TEXT NOT NULL,
    customer_name     TEXT NOT NULL,
    subscription_id   TEXT NOT NULL,
    subscription_name TEXT NOT NULL,
    amount            TEXT NOT NULL,
    currency          TEXT NOT NULL,
    ignored_reason    TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX tasks_by_date ON tasks (order_date, id);
-- One index per customer sort, matching its ORDER BY exactly, so deep windows need no sort.
CREATE INDEX tasks_by_customer_asc ON tasks (customer_name COLLATE NOCASE ASC, order_date DESC, id DESC);
CREATE INDEX tasks_by_customer_desc ON tasks (customer_name COLLATE NOCASE DESC, order_date DESC, id DESC);
CREATE INDEX tasks_by_status ON tasks (status);

CREATE TABLE checks (
    id            INTEGER PRIMARY KEY,
    window_from   TEXT NOT NULL,
    finished_at   TEXT NOT NULL,
    orders_read   INTEGER NOT NULL,
    tasks_created INTEGER NOT NULL,
    already_known INTEGER NOT NULL,
    skipped       TEXT NOT NULL          -- JSON list of {reason,label,count}
);
