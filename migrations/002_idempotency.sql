-- Idempotency-Key replays: the first 2xx answer per (connection, key), kept 24 h on the sandbox clock.
-- In SQLite so replays survive restarts and are part of a snapshot; deleting a connection (or a reset) drops its keys.
CREATE TABLE idempotency_keys (
  seq           INTEGER PRIMARY KEY AUTOINCREMENT,
  connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
  key           TEXT NOT NULL,
  fingerprint   TEXT NOT NULL,                            -- sha256 of method, path and canonical JSON body
  request_id    TEXT NOT NULL,                            -- the x-request-id of the first answer
  status        INTEGER NOT NULL,
  body          TEXT NOT NULL,                            -- the first answer's JSON body, byte for byte
  created_ms    INTEGER NOT NULL,
  UNIQUE (connection_id, key)
) STRICT;
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_ms);
