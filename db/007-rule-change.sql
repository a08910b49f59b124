-- Rule changes and whom they move (src/impact.c).
--
-- rule_version: each text of an association's rule file that `endorse
-- serve` or `endorse tick` started with, recorded once per change of its
-- SHA-256 (the first start records the file as it is).  The text is kept
-- so that the next change can be judged against it.
CREATE TABLE rule_version (
	id		INTEGER PRIMARY KEY,
	association	TEXT NOT NULL,
	sha256		TEXT NOT NULL,		-- hex, of text
	text		TEXT NOT NULL,
	installed_at	INTEGER NOT NULL	-- time
);
CREATE INDEX rule_version_association ON rule_version (association, id);

-- A change from one version to the next: the impact document
-- (endorse-impact/1, the JSON of `endorse rules impact --format json`
-- over the association's open applications and active endorsements, as
-- of the day it was installed), and how many of each changed verdict.
-- When the previous version no longer reads, impact holds {"error": ...}.
CREATE TABLE rule_change (
	id		INTEGER PRIMARY KEY,
	association	TEXT NOT NULL,
	old_version	INTEGER NOT NULL REFERENCES rule_version,
	new_version	INTEGER NOT NULL REFERENCES rule_version,
	at		INTEGER NOT NULL,	-- time
	applications	INTEGER NOT NULL,	-- moved
	renewals	INTEGER NOT NULL,	-- moved
	impact		TEXT NOT NULL
);
CREATE INDEX rule_change_association ON rule_change (association, id);
