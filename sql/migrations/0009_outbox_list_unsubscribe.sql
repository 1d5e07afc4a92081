-- 0009_outbox_list_unsubscribe.sql - one-click unsubscribe for the emails someone asked for (job
-- alerts): the address that stops them, sent as List-Unsubscribe with List-Unsubscribe-Post
-- (RFC 8058) so that mail programs can offer "Unsubscribe" beside the sender. Runs inside the
-- migration's transaction.

-- An absolute https URL (base_url and a local path holding a link token), or NULL for the
-- messages that are not subscriptions (account and application emails).
ALTER TABLE outbox ADD COLUMN list_unsubscribe text
	CHECK (list_unsubscribe IS NULL OR length(list_unsubscribe) <= 900);
