-- The ledger as the adjust path writes it fastest: an applied adjustment (nearly every one) appends its row and
-- nothing else. No AUTOINCREMENT (a sqlite_sequence write per row; seq values are never shown, and a plain INTEGER
-- PRIMARY KEY still only grows while rows exist), a pending index holding pending rows only, and no per-product
-- index: it cost an index insert at a random place on every adjustment, while the control plane's ledger queries it
-- served read newest first and stop at their limit (counting a filtered total scans the ledger, fine at test sizes).
CREATE TABLE adjustments_lean (
  seq             INTEGER PRIMARY KEY,
  request_id      TEXT NOT NULL,
  connection_id   TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
  product_id      TEXT NOT NULL,
  warehouse_id    TEXT NOT NULL,
  shop_id         TEXT,
  adjustment_type TEXT NOT NULL,
  quantity        INTEGER NOT NULL,
  reason          TEXT,
  before          INTEGER,                              -- null while pending
  after           INTEGER,
  status          TEXT NOT NULL CHECK (status IN ('applied', 'pending', 'rejected')),
  error           TEXT,                                 -- why a due adjustment could not be applied
  created_at      TEXT NOT NULL,
  applies_at      TEXT NOT NULL,
  applied_at      TEXT
) STRICT;
INSERT INTO adjustments_lean SELECT * FROM adjustments;
DROP TABLE adjustments;
ALTER TABLE adjustments_lean RENAME TO adjustments;
DELETE FROM sqlite_sequence WHERE name = 'adjustments';
CREATE INDEX adjustments_pending ON adjustments (applies_at, seq) WHERE status = 'pending';
