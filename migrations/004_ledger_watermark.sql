-- Product rows are no longer rewritten in every group commit: the ledger row (with the stock `after` it) is what a
-- commit makes durable, and changed products are written in bulk later (src/services/inventory.ts, checkpoint).
-- This one row says how far the products table has caught up: every applied adjustment with seq <= watermark is in
-- it; later ones are re-applied from the ledger after a crash. Existing databases were fully written, so they start
-- caught up.
CREATE TABLE ledger_watermark (
  id  INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL
) STRICT;
INSERT INTO ledger_watermark (id, seq) SELECT 1, coalesce(max(seq), 0) FROM adjustments;
