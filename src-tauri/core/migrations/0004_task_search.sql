-- The task list at a reseller's size (50,000 tasks): every query is served by an index.

-- Substring search over the five searchable columns through a trigram index (case-insensitive),
-- kept in step with the tasks by triggers. Searches shorter than three characters use LIKE.
CREATE VIRTUAL TABLE tasks_search USING fts5(
    customer_name, customer_id, order_id, subscription_id, subscription_name,
    content = 'tasks', content_rowid = 'id', tokenize = 'trigram'
);
INSERT INTO tasks_search (rowid, customer_name, customer_id, order_id, subscription_id, subscription_name)
    SELECT id, customer_name, customer_id, order_id, subscription_id, subscription_name FROM tasks;

CREATE TRIGGER tasks_search_insert AFTER INSERT ON tasks BEGIN
    INSERT INTO tasks_search (rowid, customer_name, customer_id, order_id, subscription_id, subscription_name)
    VALUES (new.id, new.customer_name, new.customer_id, new.order_id, new.subscription_id, new.subscription_name);
END;
CREATE TRIGGER tasks_search_delete AFTER DELETE ON tasks BEGIN
    INSERT INTO tasks_search (tasks_search, rowid, customer_name, customer_id, order_id, subscription_id, subscription_name)
    VALUES ('delete', old.id, old.customer_name, old.customer_id, old.order_id, old.subscription_id, old.subscription_name);
END;
CREATE TRIGGER tasks_search_update
AFTER UPDATE OF customer_name, customer_id, order_id, subscription_id, subscription_name ON tasks BEGIN
    INSERT INTO tasks_search (tasks_search, rowid, customer_name, customer_id, order_id, subscription_id, subscription_name)
    VALUES ('delete', old.id, old.customer_name, old.customer_id, old.order_id, old.subscription_id, old.subscription_name);
    INSERT INTO tasks_search (rowid, customer_name, customer_id, order_id, subscription_id, subscription_name)
    VALUES (new.id, new.customer_name, new.customer_id, new.order_id, new.subscription_id, new.subscription_name);
END;

-- Type and status filters: one index holds both columns and the date order (covering the count,
-- and serving "newest first" without a temporary sort when one type and one status are chosen).
CREATE INDEX tasks_by_type_status ON tasks (task_type, status, order_date, id);
CREATE INDEX tasks_by_status_type ON tasks (status, task_type, order_date, id);
DROP INDEX tasks_by_status;

-- How many tasks hold each trigram: tells a search that matches most tasks (read in list order)
-- from one that matches few (read through the index).
CREATE VIRTUAL TABLE tasks_search_terms USING fts5vocab(tasks_search, 'row');
