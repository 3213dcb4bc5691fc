-- Saved replies (canned responses) per mailbox: a title is unique per
-- mailbox, case-blind.

CREATE TABLE saved_replies (
  id text PRIMARY KEY,
  account_id text NOT NULL,
  title text NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX saved_replies_title
  ON saved_replies (account_id, lower(title));
