-- Activity and undo (SPEC §17): every write keeps the addition as it was right before it was sent
-- and as ConnectWise answered after, and each sync the desk (OS user and computer) it ran on and
-- the sync it undoes, if it is an undo.
--
-- States are the addition's JSON as ConnectWise sends it. A create's state before is JSON `null`
-- (there was no addition), a removal's state after too; SQL NULL means "not recorded".
ALTER TABLE syncs ADD COLUMN desk TEXT;
ALTER TABLE syncs ADD COLUMN undoes INTEGER REFERENCES syncs (id);
-- The agreement's invoiced boundary (SPEC §16) when the sync wrote, `yyyy-mm-dd`: an addition it
-- created is on an invoice once a period from there is invoiced.
ALTER TABLE syncs ADD COLUMN boundary TEXT;
CREATE INDEX syncs_by_undone ON syncs (undoes) WHERE undoes IS NOT NULL;

ALTER TABLE sync_writes ADD COLUMN before_state TEXT;
ALTER TABLE sync_writes ADD COLUMN after_state TEXT;

-- What older journals can give: a create had no addition before it; a confirmed write left the
-- addition as its spec wrote it (the fields it set; what it did not set is not known). A patch's
-- state before was never kept and stays unrecorded, which undo says in words.
UPDATE sync_writes SET before_state = 'null'
 WHERE json_valid(spec) AND json_extract(spec, '$.kind') = 'create';
UPDATE sync_writes
   SET after_state = json_object(
        'id', addition_id,
        'product', json_object('id', json_extract(spec, '$.productId'),
                               'identifier', json_extract(spec, '$.productName')),
        'billCustomer', json_extract(spec, '$.billCustomer'),
        'quantity', json_extract(spec, '$.quantity'),
        'unitPrice', json_extract(spec, '$.unitPrice'),
        'unitCost', json_extract(spec, '$.unitCost'),
        'effectiveDate', json_extract(spec, '$.effectiveDate') || 'T00:00:00Z',
        'cancelledDate', CASE WHEN json_extract(spec, '$.cancelDate') IS NULL THEN NULL
                              ELSE json_extract(spec, '$.cancelDate') || 'T00:00:00Z' END,
        'taxableFlag', json(CASE WHEN json_extract(spec, '$.taxable') THEN 'true' ELSE 'false' END),
        'invoiceDescription', json_extract(spec, '$.invoiceDescription'),
        'serialNumber', json_extract(spec, '$.key'))
 WHERE state = 'confirmed' AND addition_id IS NOT NULL AND json_valid(spec);

-- The activity lists writes newest first, and tells this desk's additions from other desks'; it
-- filters them by what they did and how they ended.
CREATE INDEX sync_writes_by_time ON sync_writes (updated_at);
ALTER TABLE sync_writes ADD COLUMN what TEXT GENERATED ALWAYS AS (
    CASE WHEN NOT json_valid(spec) THEN 'change'
         WHEN json_extract(spec, '$.kind') = 'create' THEN 'create'
         WHEN json_extract(spec, '$.kind') = 'delete' THEN 'remove'
         WHEN json_extract(spec, '$.action') = 'cancel' THEN 'cancelDate'
         ELSE 'change' END) VIRTUAL;
CREATE INDEX sync_writes_by_what ON sync_writes (what, updated_at);
CREATE INDEX sync_writes_by_state ON sync_writes (state, updated_at);
CREATE INDEX sync_writes_by_addition ON sync_writes (addition_id) WHERE addition_id IS NOT NULL;

-- Additions other desks wrote are recognised by their keys (SPEC §15): each cached addition's key
-- and when ConnectWise says it was entered (when it was read, if it does not say), filled as
-- additions are read.
ALTER TABLE cw_additions ADD COLUMN addition_key TEXT;
ALTER TABLE cw_additions ADD COLUMN entered_at TEXT;
UPDATE cw_additions
   SET addition_key = json_extract(body, '$.serialNumber'),
       entered_at = COALESCE(json_extract(body, '$._info.dateEntered'), fetched_at)
 WHERE json_valid(body) AND json_extract(body, '$.serialNumber') LIKE 'AS1:%';
CREATE INDEX cw_additions_keyed ON cw_additions (entered_at) WHERE addition_key IS NOT NULL;
CREATE INDEX syncs_by_profile ON syncs (profile_name);

-- Which optional rows of an undo a person chose (a credit starts unselected), by the sync undone.
CREATE TABLE undo_choices (
    sync_id  INTEGER NOT NULL REFERENCES syncs (id) ON DELETE CASCADE,
    row_key  TEXT NOT NULL,
    selected INTEGER NOT NULL,
    PRIMARY KEY (sync_id, row_key)
);
