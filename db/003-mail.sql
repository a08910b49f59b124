-- Delivery of the outbox over SMTP (src/smtp.c).  status is queued (never
-- tried), retry (a try failed; next_try says when the next one is due),
-- sent (sent_at) or failed (attempts reached smtp_max_attempts); attempts
-- counts the tries, last_error keeps what the last failed one said.
ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN next_try INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN last_error TEXT;
ALTER TABLE outbox ADD COLUMN sent_at INTEGER;
CREATE INDEX outbox_due ON outbox (status, next_try);
