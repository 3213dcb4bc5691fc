-- The acknowledgement a thread got when it went to a person (ACK_ENABLED):
-- one row per thread, naming the message it answered; the first claim wins.

CREATE TABLE thread_acknowledgements (
  account_id text NOT NULL,
  thread_id text NOT NULL,
  gmail_id text NOT NULL,
  at timestamptz NOT NULL,
  PRIMARY KEY (account_id, thread_id)
);
