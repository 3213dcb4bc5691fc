-- Failed attempts of a message so far: the back-off before the next claim
-- doubles with each (the worker's retry policy).
ALTER TABLE ledger ADD COLUMN retries integer NOT NULL DEFAULT 0;
