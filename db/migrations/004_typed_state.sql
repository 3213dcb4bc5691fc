-- Typed worker state replacing the string-keyed `meta` markers: thread
-- takeovers, sent-reply markers (expiring), label ids, first-sync marks,
-- full-sync notes, mail pauses, failure counts (expiring) and one-time setup
-- steps. The markers of `meta`
-- are carried over; `meta` is then dropped (nothing reads it any more).

CREATE TABLE thread_takeovers (
  account_id text NOT NULL,
  thread_id text NOT NULL,
  taken_over_at timestamptz NOT NULL,
  PRIMARY KEY (account_id, thread_id)
);

CREATE TABLE sent_replies (
  account_id text NOT NULL,
  gmail_id text NOT NULL,
  sent_by text NOT NULL CHECK (sent_by IN ('agent', 'person')),
  at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (account_id, gmail_id, sent_by)
);
CREATE INDEX sent_replies_expires_at ON sent_replies (expires_at);

CREATE TABLE sync_labels (
  account_id text NOT NULL,
  name text NOT NULL,
  label_id text NOT NULL,
  PRIMARY KEY (account_id, name)
);

CREATE TABLE initial_syncs (
  account_id text PRIMARY KEY,
  done_at timestamptz NOT NULL
);

CREATE TABLE sync_notes (
  account_id text PRIMARY KEY,
  note jsonb NOT NULL
);

CREATE TABLE mail_pauses (
  account_id text PRIMARY KEY,
  until timestamptz NOT NULL
);

CREATE TABLE failure_counts (
  account_id text NOT NULL,
  gmail_id text NOT NULL,
  count integer NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (account_id, gmail_id)
);
CREATE INDEX failure_counts_expires_at ON failure_counts (expires_at);

CREATE TABLE setup_steps (
  step text PRIMARY KEY,
  state text NOT NULL CHECK (state IN ('claimed', 'failed')),
  at timestamptz NOT NULL
);

-- Carry the old markers over. Keys are `kind:accountId:rest`; values are
-- ISO times (counts for msg_failures). Sent-reply markers get 30 days (the
-- default SENT_REPLY_MARKER_DAYS) from when they were written.
CREATE FUNCTION pg_temp.meta_time(v text) RETURNS timestamptz
  LANGUAGE sql IMMUTABLE AS
  $$ SELECT CASE WHEN v ~ '^\d{4}-\d\d-\d\dT' THEN v::timestamptz ELSE now() END $$;

INSERT INTO thread_takeovers (account_id, thread_id, taken_over_at)
  SELECT split_part(key, ':', 2),
    substr(key, length(split_part(key, ':', 1)) + length(split_part(key, ':', 2)) + 3),
    pg_temp.meta_time(value)
  FROM meta WHERE key LIKE 'takeover:%:%'
  ON CONFLICT DO NOTHING;

INSERT INTO sent_replies (account_id, gmail_id, sent_by, at, expires_at)
  SELECT split_part(key, ':', 2),
    substr(key, length(split_part(key, ':', 1)) + length(split_part(key, ':', 2)) + 3),
    CASE WHEN key LIKE 'agent-sent:%' THEN 'agent' ELSE 'person' END,
    pg_temp.meta_time(value),
    pg_temp.meta_time(value) + interval '30 days'
  FROM meta WHERE key LIKE 'agent-sent:%:%' OR key LIKE 'human-sent:%:%'
  ON CONFLICT DO NOTHING;

INSERT INTO sync_labels (account_id, name, label_id)
  SELECT split_part(key, ':', 2),
    substr(key, length(split_part(key, ':', 1)) + length(split_part(key, ':', 2)) + 3),
    value
  FROM meta WHERE key LIKE 'gmail_label:%:%'
  ON CONFLICT DO NOTHING;

INSERT INTO initial_syncs (account_id, done_at)
  SELECT split_part(key, ':', 2), now()
  FROM meta WHERE key LIKE 'initial_sync_done:%'
  ON CONFLICT DO NOTHING;

INSERT INTO sync_notes (account_id, note)
  SELECT split_part(key, ':', 2), value::jsonb
  FROM meta WHERE key LIKE 'sync_note:%' AND value ~ '^\{'
  ON CONFLICT DO NOTHING;

INSERT INTO mail_pauses (account_id, until)
  SELECT split_part(key, ':', 2), value::timestamptz
  FROM meta WHERE key LIKE 'mail_paused_until:%' AND value ~ '^\d{4}-\d\d-\d\dT'
  ON CONFLICT DO NOTHING;

INSERT INTO failure_counts (account_id, gmail_id, count, expires_at)
  SELECT split_part(key, ':', 2),
    substr(key, length(split_part(key, ':', 1)) + length(split_part(key, ':', 2)) + 3),
    CASE WHEN value ~ '^\d+$' THEN value::integer ELSE 0 END,
    now() + interval '7 days'
  FROM meta WHERE key LIKE 'msg_failures:%:%'
  ON CONFLICT DO NOTHING;

INSERT INTO setup_steps (step, state, at)
  SELECT 'sample_orders',
    CASE WHEN value = 'failed' THEN 'failed' ELSE 'claimed' END,
    pg_temp.meta_time(value)
  FROM meta WHERE key = 'sample_orders_loaded'
  ON CONFLICT DO NOTHING;

DROP FUNCTION pg_temp.meta_time(text);
DROP TABLE meta;
