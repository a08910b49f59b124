-- An account's applications in one association (the portfolio's "pending",
-- S_APP_OPEN_OF, read for every checklist).  Without statistics SQLite
-- chose application_association for that query, which scans every
-- application of the association: 100,000 checklists took 36 minutes in
-- `endorse rules impact` on the benchmark's database.  With both columns
-- in one index the planner takes it.
CREATE INDEX application_account_association ON application
    (account, association, id);
