-- The registry's version (issue 6).
--
-- The server searches the registry in memory (registry.c): a copy of
-- every visible endorsement in name order, scanned for the search text.
-- A LIKE '%q%' over the table read every row when few matched, 21 ms
-- for a full name on the load benchmark's 20,000 rows (bench/README.md);
-- the copy answers in microseconds.  The copy is good while n here is
-- the n it was read with: the triggers count every insert, delete and
-- change of what the registry shows, whoever makes it (the server, or
-- `endorse import endorsees` in another process), in the same
-- transaction as the change.
CREATE TABLE registry_version (
	id		INTEGER PRIMARY KEY CHECK (id = 1),
	n		INTEGER NOT NULL
);
INSERT INTO registry_version (id, n) VALUES (1, 0);

CREATE TRIGGER registry_version_insert AFTER INSERT ON endorsement
BEGIN
	UPDATE registry_version SET n = n + 1;
END;
CREATE TRIGGER registry_version_delete AFTER DELETE ON endorsement
BEGIN
	UPDATE registry_version SET n = n + 1;
END;
CREATE TRIGGER registry_version_update AFTER UPDATE OF number, association,
    category, status, name, city, hidden ON endorsement
BEGIN
	UPDATE registry_version SET n = n + 1;
END;
