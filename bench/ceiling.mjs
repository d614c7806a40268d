// The ceiling: bare Fastify answering the benchmarked routes with constant, spec-shaped bodies (no auth, validation or state).
// Plain JavaScript on purpose: nothing but Fastify itself runs per request, so it is the most any Fastify server could do here.
import Fastify from 'fastify'

// Shaped like the fixtures' shp_tee_001_m, so both servers send bodies of about the same size.
const product = (id) => ({
  id,
  created_date: '2024-01-13T10:00:00Z',
  updated_date: '2025-04-21T10:45:00Z',
  name: 'Classic Tee / Medium / Black',
  sku: 'AC-SHP-TEE001-M',
  gtin: '081234501761',
  parent_product_id: 'shp_tee_001',
  is_kit: false,
  active: true,
  image_url: 'https://images.example.com/acme/shopify/classic-tee-medium-black.jpg',
  price: 24.99,
  unit_cost: 8.4,
  inventory: 366,
  inventory_by_warehouse_id: { wh_nyc: 249, wh_reno: 0, wh_dallas: 117 },
  measurements: { length: 10, width: 8, height: 1, unit: 'in', weight: 6, weight_unit: 'oz' },
  tags: ['season:summer', 'material:cotton', 'bestseller'],
  categories: ['Apparel', 'Tops', 'T-Shirts'],
  external_system_url: 'https://admin.shopify.com/store/acme-outfitters/products/8012345671013/variants/8012345673039',
  trackstar_tags: ['featured'],
  additional_fields: { vendor: 'Acme Outfitters', product_type: 'T-Shirt', handle: 'classic-tee', inventory_item_id: 11012345673039, position: 2 },
  trackstar_created_date: '2024-01-13T10:00:00Z',
  trackstar_updated_date: '2025-04-21T10:45:00Z'
})

// Serialized once: the ceiling pays for no serialization per request.
const adjusted = JSON.stringify({ id: 'p1', data: product('p1'), unused_fields: [] })
const one = JSON.stringify({ data: product('p1') })
const batch = JSON.stringify({ data: Array.from({ length: 10 }, (_, i) => product(`p${i}`)), unused_fields: [] })
const list = JSON.stringify({ data: Array.from({ length: 14 }, (_, i) => product(`p${i}`)), next_token: null, total_count: 14 })

const app = Fastify({ logger: false })
app.put('/cart/products/:product_id/adjust-inventory', async (_request, reply) => reply.type('application/json').send(adjusted))
app.put('/cart/products/batch-adjust-inventory', async (_request, reply) => reply.type('application/json').send(batch))
app.get('/cart/products/:product_id', async (_request, reply) => reply.type('application/json').send(one))
app.get('/cart/products', async (_request, reply) => reply.type('application/json').send(list))
app.get('/_sandbox/health', async () => ({ status: 'ok' }))
await app.listen({ port: Number(process.env.PORT ?? 4020), host: process.env.HOST ?? '127.0.0.1' })
