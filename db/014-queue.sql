-- The coordinator's work queue (issue 17): since when an application is
-- in its current state.  state_since (seconds) is set in the same
-- statement as every change of application.status (store-app.def:
-- S_APP_INSERT, S_APP_SUBMIT, S_APP_RETURN, S_APP_SET_STATUS,
-- S_APP_SET_DECISION), so it is in the transaction of the change.  Rows
-- from before: the best the table knows (a return, the submission, the
-- creation, else the last change).
ALTER TABLE application ADD COLUMN state_since INTEGER;
UPDATE application SET state_since = CASE
	WHEN status = 'draft' THEN coalesce(returned, created)
	WHEN status = 'submitted' THEN coalesce(submitted, updated)
	ELSE updated END;
-- The queue's sorts that an index serves: days in state, started,
-- submitted (the others sort the open applications of the association).
CREATE INDEX application_queue_since ON application (association,
    state_since);
CREATE INDEX application_queue_created ON application (association,
    created);
CREATE INDEX application_queue_submitted ON application (association,
    submitted);
-- A rating request's first sending: a new link (the applicant's resend, a
-- coordinator's re-send or reminder) changes rating.sent, not this; the
-- reminders' offsets count from it (NULL: rating.sent, as before).
ALTER TABLE rating ADD COLUMN requested INTEGER;
