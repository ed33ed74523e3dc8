-- ConnectWise data the tasks need (for offline review), the mappings people make, and drafts.

CREATE TABLE cw_companies (
    id         INTEGER PRIMARY KEY,
    identifier TEXT NOT NULL,
    name       TEXT NOT NULL,
    body       TEXT NOT NULL,
    fetched_at TEXT NOT NULL
);

CREATE TABLE cw_agreements (
    id         INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL,
    body       TEXT NOT NULL,
    fetched_at TEXT NOT NULL
);
CREATE INDEX cw_agreements_by_company ON cw_agreements (company_id);

CREATE TABLE cw_additions (
    id           INTEGER PRIMARY KEY,
    agreement_id INTEGER NOT NULL,
    body         TEXT NOT NULL,
    fetched_at   TEXT NOT NULL
);
CREATE INDEX cw_additions_by_agreement ON cw_additions (agreement_id);

-- When each agreement's additions were last read (an agreement may have none).
CREATE TABLE cw_additions_read (
    agreement_id INTEGER PRIMARY KEY,
    fetched_at   TEXT NOT NULL
);

CREATE TABLE cw_catalog (
    id         INTEGER PRIMARY KEY,
    identifier TEXT NOT NULL,
    body       TEXT NOT NULL,
    fetched_at TEXT NOT NULL
);

CREATE TABLE cw_billing_cycles (
    id         INTEGER PRIMARY KEY,
    body       TEXT NOT NULL,
    fetched_at TEXT NOT NULL
);

CREATE TABLE cw_currencies (
    id         INTEGER PRIMARY KEY,
    body       TEXT NOT NULL,
    fetched_at TEXT NOT NULL
);

-- Marketplace customer -> ConnectWise company, as chosen by a person.
CREATE TABLE customer_mappings (
    customer_id TEXT PRIMARY KEY,
    company_id  INTEGER NOT NULL,
    mapped_at   TEXT NOT NULL
);

-- Marketplace product (MPN, or a fee key) -> ConnectWise catalog item.
CREATE TABLE product_mappings (
    product_key TEXT PRIMARY KEY,
    catalog_id  INTEGER NOT NULL,
    mapped_at   TEXT NOT NULL
);

-- The wizard's edits of a task, saved as the user types.
CREATE TABLE drafts (
    task_id    INTEGER PRIMARY KEY REFERENCES tasks (id) ON DELETE CASCADE,
    body       TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Why the ConnectWise part of a Check Changes failed, if it did.
ALTER TABLE checks ADD COLUMN connectwise_error TEXT;
