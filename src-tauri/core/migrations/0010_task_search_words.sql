-- Search by words in any column, whatever their accents ("Müller" is found by "muller", "Green
-- Lane 1000231" by the customer's name and the order): the trigram index holds the tasks' folded
-- search text (filled by the migration before) instead of the five columns as they are.
DROP TRIGGER tasks_search_insert;
DROP TRIGGER tasks_search_delete;
DROP TRIGGER tasks_search_update;
DROP TABLE tasks_search_terms;
DROP TABLE tasks_search;

CREATE VIRTUAL TABLE tasks_search USING fts5(
    search_text, content = 'tasks', content_rowid = 'id', tokenize = 'trigram'
);
CREATE TRIGGER tasks_search_insert AFTER INSERT ON tasks BEGIN
    INSERT INTO tasks_search (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER tasks_search_delete AFTER DELETE ON tasks BEGIN
    INSERT INTO tasks_search (tasks_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER tasks_search_update AFTER UPDATE OF search_text ON tasks BEGIN
    INSERT INTO tasks_search (tasks_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO tasks_search (rowid, search_text) VALUES (new.id, new.search_text);
END;
INSERT INTO tasks_search (tasks_search) VALUES ('rebuild');
CREATE VIRTUAL TABLE tasks_search_terms USING fts5vocab(tasks_search, 'row');
