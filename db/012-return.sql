-- Returning an application for changes keeps its review round (issue 16):
-- round is the time the current round began (the first submission, or a
-- submission after a deferral); a resubmission after a return keeps it, so
-- the round's reviewers and their comments stay.  returned is the time of
-- the return while the application is back with its applicant (NULL
-- otherwise), return_note the coordinator's note, return_entries the
-- portfolio's entries at the return ({"id": "kind\tdata"}) to say what
-- changed when it comes back.
ALTER TABLE application ADD COLUMN round INTEGER;
ALTER TABLE application ADD COLUMN returned INTEGER;
ALTER TABLE application ADD COLUMN return_note TEXT;
ALTER TABLE application ADD COLUMN return_entries TEXT;
UPDATE application SET round = submitted;
