-- A person's edits and outcomes of the agent's drafts (the drafts queue):
-- one row per answered message; the first outcome is kept.

CREATE TABLE draft_reviews (
  account_id text NOT NULL,
  gmail_id text NOT NULL,
  text text,
  status text CHECK (status IN ('sent', 'discarded', 'gone')),
  actor text,
  at timestamptz,
  sent_id text,
  PRIMARY KEY (account_id, gmail_id)
);
