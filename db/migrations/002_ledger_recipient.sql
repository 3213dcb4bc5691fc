-- The address each automatic reply went to, so the daily reply cap counts
-- replies by recipient as well as by sender (a shared Reply-To).
ALTER TABLE ledger ADD COLUMN recipient_address text;
-- Replies before this column went to the Reply-To or the From; the From is
-- the best guess left.
UPDATE ledger SET recipient_address = sender_address
  WHERE decision->>'action' IN ('reply', 'draft');
CREATE INDEX ledger_by_recipient
  ON ledger (account_id, recipient_address, claimed_at);
