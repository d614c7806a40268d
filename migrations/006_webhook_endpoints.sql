-- Registered webhook endpoints: the user's setup, not the store's state, so a reset and a snapshot restore leave
-- them alone and they survive restarts until deleted.
CREATE TABLE webhook_endpoints (
  id         TEXT PRIMARY KEY,
  url        TEXT NOT NULL,
  events     TEXT NOT NULL,                               -- JSON array of event types
  secret     TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
