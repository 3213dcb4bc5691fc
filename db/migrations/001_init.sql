-- The agent's state. Times are timestamptz; structured values are jsonb.

CREATE TABLE accounts (
  id text PRIMARY KEY,
  email text NOT NULL UNIQUE,
  status text NOT NULL DEFAULT 'active',
  status_reason text,
  reply_mode text,
  sandbox boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL,
  last_sync_at timestamptz,
  last_error text,
  -- AES-256-GCM (v1.<kid>.<iv>.<ciphertext>), account id as additional data
  tokens_enc text NOT NULL
);

CREATE TABLE cursors (
  account_id text PRIMARY KEY,
  history_id text NOT NULL
);

CREATE TABLE ledger (
  account_id text NOT NULL,
  gmail_id text NOT NULL,
  thread_id text NOT NULL,
  state text NOT NULL,
  claimed_by text,
  claimed_at timestamptz NOT NULL,
  decision jsonb,
  effects jsonb NOT NULL DEFAULT '[]',
  reply_message_id text,
  sender text,
  sender_address text,
  subject text,
  error text,
  updated_at timestamptz NOT NULL,
  -- the idempotency guard: one entry per message
  PRIMARY KEY (account_id, gmail_id)
);
CREATE INDEX ledger_by_time ON ledger (claimed_at DESC);
CREATE INDEX ledger_by_account_time ON ledger (account_id, claimed_at DESC);
CREATE INDEX ledger_by_sender ON ledger (account_id, sender_address, claimed_at);

CREATE TABLE review_items (
  id text PRIMARY KEY,
  account_id text NOT NULL,
  gmail_id text NOT NULL,
  thread_id text NOT NULL,
  sender text NOT NULL,
  subject text NOT NULL,
  excerpt text NOT NULL,
  category text NOT NULL,
  importance integer NOT NULL,
  importance_reasons jsonb NOT NULL DEFAULT '[]',
  reason text NOT NULL,
  status text NOT NULL,
  assignee text,
  note text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (account_id, gmail_id)
);
CREATE INDEX review_queue ON review_items (status, importance DESC, created_at);
CREATE INDEX review_by_thread ON review_items (account_id, thread_id);

CREATE TABLE refund_cases (
  account_id text NOT NULL,
  thread_id text NOT NULL,
  state text NOT NULL,
  customer_email text NOT NULL,
  order_ids jsonb NOT NULL,
  history jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL,
  PRIMARY KEY (account_id, thread_id)
);

CREATE TABLE invalid_refund_attempts (
  account_id text NOT NULL,
  thread_id text NOT NULL,
  gmail_id text NOT NULL,
  sender text NOT NULL,
  order_id text,
  reason text NOT NULL,
  excerpt text NOT NULL,
  at timestamptz NOT NULL,
  PRIMARY KEY (account_id, gmail_id)
);
CREATE INDEX invalid_attempts_by_time ON invalid_refund_attempts (account_id, at);

CREATE TABLE orders (
  -- upper-cased order id: lookups are case-blind
  order_key text PRIMARY KEY,
  order_id text NOT NULL,
  customer_email text NOT NULL,
  order_date timestamptz NOT NULL,
  amount numeric(14, 2) NOT NULL,
  status text NOT NULL,
  refund_requested_at timestamptz
);

CREATE TABLE oauth_states (
  state text PRIMARY KEY,
  data jsonb NOT NULL,
  expires_at timestamptz NOT NULL
);

CREATE TABLE sessions (
  id text PRIMARY KEY,
  data jsonb NOT NULL,
  expires_at timestamptz NOT NULL
);

CREATE TABLE audit_events (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL,
  actor text NOT NULL,
  action text NOT NULL,
  target text,
  detail jsonb NOT NULL
);
CREATE INDEX audit_by_time ON audit_events (at DESC);

CREATE TABLE leases (
  name text PRIMARY KEY,
  owner text NOT NULL,
  expires_at timestamptz NOT NULL
);

CREATE TABLE meta (
  key text PRIMARY KEY,
  value text NOT NULL
);
