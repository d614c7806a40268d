-- Who changed the stock: "api" for adjustments through the emulated API, "cart" for the merchant's edits made
-- through the control plane (PATCH /_sandbox/connections/{id}/products/{id}).
ALTER TABLE adjustments ADD COLUMN source TEXT NOT NULL DEFAULT 'api' CHECK (source IN ('api', 'cart'));
