-- The conversation view lists a thread's messages.
CREATE INDEX ledger_by_thread ON ledger (account_id, thread_id, claimed_at);
