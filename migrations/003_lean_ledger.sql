-- The ledger without AUTOINCREMENT, and a pending index holding pending rows only: an applied adjustment, nearly
-- every one, then writes its row and one index entry per product, not also a sqlite_sequence row and a pending entry.
-- (Ledger seq values are never shown; a plain INTEGER PRIMARY KEY still only grows while rows exist.)
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
CREATE INDEX adjustments_by_product ON adjustments (connection_id, product_id);
