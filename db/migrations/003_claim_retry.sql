-- A released claim (a failed or abandoned attempt) is claimed again only
-- from retry_at on (back-off).
ALTER TABLE ledger ADD COLUMN retry_at timestamptz;
