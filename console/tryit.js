// Try it: a form built from the connection's request variant that sends a real adjustment through the emulated API.
import { call, enc } from './api.js'
import { field, h, json, replace, statusBadge } from './dom.js'

function control (name, schema, connection) {
  if (Array.isArray(schema.enum)) return h('select', { name }, schema.enum.map((v) => h('option', { value: v }, v)))
  if (schema.type === 'integer') return h('input', { type: 'number', step: '1', name, value: name === 'quantity' ? '1' : undefined })
  if (name === 'warehouse_id') return h('select', { name }, connection.warehouses.map((w) => h('option', { value: w.id }, `${w.id}${w.name ? ` (${w.name})` : ''}`)))
  if (name === 'shop_id' && connection.shops.length > 0) return h('select', { name }, connection.shops.map((s) => h('option', { value: s.id }, s.id)))
  return h('input', { type: 'text', name, placeholder: schema.format === 'date-time' ? '2030-01-01T00:00:00Z' : (schema.example ?? '') })
}

/** Leaves optional fields out unless the user asks for them: a body with only what was chosen. */
function optionalToggle (name, input) {
  const box = h('input', { type: 'checkbox', name: `send-${name}` })
  input.disabled = true
  box.addEventListener('change', () => { input.disabled = !box.checked })
  return h('label.check', {}, box, ` send ${name}`)
}

export async function renderTryIt (container, { connection, apiKey, products, onSent }) {
  const { schema } = await call('GET', `/_sandbox/ui/api/integrations/${enc(connection.integration)}/schema`)
  const required = new Set(schema.required ?? [])
  const variants = products.filter((p) => p.parent_product_id !== p.id || !products.some((v) => v.parent_product_id === p.id && v.id !== p.id))
  const product = h('select', { name: 'product_id' }, variants.map((p) => h('option', { value: p.id }, `${p.name} (${p.id})`)))
  const inputs = Object.entries(schema.properties).map(([name, prop]) => {
    const input = control(name, prop, connection)
    const isRequired = required.has(name)
    return { name, prop, input, node: h('div.field-row', {}, field(name, input, { required: isRequired, hint: prop.description }), isRequired ? null : optionalToggle(name, input)) }
  })
  const answer = h('div.answer', { 'aria-live': 'polite' })
  const form = h('form', {},
    field('Product', product, { required: true }),
    inputs.map((i) => i.node),
    h('button', { type: 'submit' }, 'Send adjustment'))
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const body = {}
    for (const { name, prop, input } of inputs) {
      if (input.disabled) continue
      body[name] = prop.type === 'integer' ? Number(input.value) : input.value
    }
    const response = await fetch(`/cart/products/${enc(product.value)}/adjust-inventory`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-trackstar-api-key': apiKey, 'x-trackstar-access-token': connection.access_token },
      body: JSON.stringify(body)
    })
    const text = await response.text()
    let parsed = text
    try { parsed = JSON.parse(text) } catch {}
    replace(answer,
      h('h3', {}, 'Answer ', statusBadge(response.status)),
      h('details', {}, h('summary', {}, 'Request body'), json(body)),
      h('details', { open: true }, h('summary', {}, 'Headers'), h('table.data.compact', {}, h('tbody', {}, [...response.headers].map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', {}, v)))))),
      json(parsed))
    if (response.ok) await onSent()
  })
  replace(container,
    h('h2', { id: 'tryit-title' }, 'Try it'),
    h('p.muted.small', {}, `PUT /cart/products/{id}/adjust-inventory as ${connection.integration_name} (${schema.$id ?? schema.title}). Fields and choices come from its request variant; * marks required.`),
    form,
    answer)
}
