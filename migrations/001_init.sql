-- Organisations, their API keys, connections (one store each), warehouses, shops, products and the ledger.
CREATE TABLE organisations (
  id   TEXT PRIMARY KEY,
  name TEXT NOT NULL
) STRICT;

CREATE TABLE api_keys (
  key             TEXT PRIMARY KEY,
  organisation_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  access          TEXT NOT NULL CHECK (access IN ('full', 'read_only'))
) STRICT;

CREATE TABLE connections (
  id                       TEXT PRIMARY KEY,
  organisation_id          TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  integration              TEXT NOT NULL,
  access_token             TEXT NOT NULL UNIQUE,
  customer_id              TEXT,
  allow_negative_inventory INTEGER NOT NULL DEFAULT 0,
  disabled_actions         TEXT NOT NULL DEFAULT '[]',  -- JSON array of action names
  available_actions        TEXT NOT NULL,               -- JSON array of action names
  created_at               TEXT NOT NULL
) STRICT;

CREATE TABLE warehouses (
  connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
  id            TEXT NOT NULL,
  position      INTEGER NOT NULL,
  is_default    INTEGER NOT NULL DEFAULT 0,
  body          TEXT NOT NULL,                          -- JSON Warehouse as the API returns it
  PRIMARY KEY (connection_id, id)
) STRICT;

CREATE TABLE shops (
  connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
  id            TEXT NOT NULL,
  name          TEXT,
  PRIMARY KEY (connection_id, id)
) STRICT;

-- A product's API shape lives in `body`; the columns are what queries and the adjust path need.
CREATE TABLE products (
  connection_id     TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
  id                TEXT NOT NULL,
  position          INTEGER NOT NULL,
  parent_product_id TEXT NOT NULL,
  body              TEXT NOT NULL,
  PRIMARY KEY (connection_id, id)
) STRICT;
CREATE INDEX products_by_parent ON products (connection_id, parent_product_id);
CREATE INDEX products_by_position ON products (connection_id, position);

CREATE TABLE adjustments (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
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
CREATE INDEX adjustments_pending ON adjustments (status, applies_at);
CREATE INDEX adjustments_by_product ON adjustments (connection_id, product_id);
