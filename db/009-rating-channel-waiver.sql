-- A rating records the channel its live link went through ('mail': the
-- request's own mail, or the applicant's resend to the same address;
-- 'resent': the coordinator re-sent it to a corrected address;
-- 'handed': the coordinator handed the link to the rater) and the
-- applicant's waiver the rater was shown (1 when any form of it was
-- shown, or it was answered, under the waiver; NULL before the form was
-- first shown).  The recorded waiver binds: a rating written under it
-- stays closed to the applicant whatever the waiver becomes later.
ALTER TABLE rating ADD COLUMN channel TEXT NOT NULL DEFAULT 'mail'
    CHECK (channel IN ('mail', 'resent', 'handed'));
ALTER TABLE rating ADD COLUMN waiver INTEGER;
-- Ratings answered before: the waiver then is unknown; the application's
-- current one is the best record there is (it could not be withdrawn once
-- a rater had answered under it).
UPDATE rating SET waiver = (SELECT p.waiver FROM application p WHERE
    p.id = rating.application) WHERE answered IS NOT NULL;
