// A connection's catalogue: parents with their variants, stock per warehouse, search, the merchant's stock edit, and Try it.
import { call, enc } from './api.js'
import { copyable, field, h, replace, shortDate, toast } from './dom.js'
import { onActivity } from './live.js'
import { renderTryIt } from './tryit.js'

const REFRESH_MS = 400

/** Parents in catalogue order, each with its variants; a variant whose parent is missing stands alone. */
export function group (products) {
  const parents = new Map()
  const groups = []
  for (const p of products) {
    if (p.parent_product_id === p.id) {
      const g = { parent: p, variants: [] }
      parents.set(p.id, g)
      groups.push(g)
    }
  }
  for (const p of products) {
    if (p.parent_product_id === p.id) continue
    const g = parents.get(p.parent_product_id)
    if (g) g.variants.push(p)
    else groups.push({ parent: p, variants: [] })
  }
  return groups
}

const matches = (p, q) => [p.id, p.sku, p.name].some((v) => typeof v === 'string' && v.toLowerCase().includes(q))

function filterGroups (groups, query) {
  const q = query.trim().toLowerCase()
  if (!q) return groups
  return groups.flatMap((g) => {
    if (matches(g.parent, q)) return [g]
    const variants = g.variants.filter((v) => matches(v, q))
    return variants.length > 0 ? [{ parent: g.parent, variants }] : []
  })
}

function productCell (p, isVariant) {
  return h('th', { scope: 'row', class: isVariant ? 'variant' : 'parent' },
    h('div', {}, p.name),
    h('div.muted.small', {}, h('code', {}, p.id), p.sku ? ` · SKU ${p.sku}` : ''))
}

function row (p, warehouses, isVariant, onEdit) {
  const stock = p.inventory_by_warehouse_id ?? {}
  const total = p.inventory ?? Object.values(stock).reduce((a, b) => a + b, 0)
  return h('tr', { class: isVariant ? 'variant-row' : 'parent-row', 'data-product': p.id },
    productCell(p, isVariant),
    warehouses.map((w) => h('td.num', { 'data-warehouse': w.id }, stock[w.id] === undefined ? '–' : String(stock[w.id]))),
    h('td.num.total', {}, String(total)),
    h('td', {}, shortDate(p.trackstar_updated_date ?? p.updated_date)),
    h('td', {}, shortDate(p.created_date)),
    h('td', {}, p.image_url ? h('a', { href: p.image_url, target: '_blank', rel: 'noopener noreferrer nofollow' }, 'image') : ''),
    h('td', {}, onEdit ? h('button.small', { type: 'button', onclick: () => onEdit(p), 'aria-label': `Edit stock of ${p.name}` }, 'Edit stock') : ''))
}

function editForm (connectionId, product, warehouses, done) {
  const inputs = warehouses.map((w) => h('input', { type: 'number', step: '1', name: w.id, value: String(product.inventory_by_warehouse_id?.[w.id] ?? 0) }))
  const error = h('p.error', { role: 'alert' })
  const form = h('form.card.edit', { 'aria-labelledby': 'edit-title' },
    h('h3', { id: 'edit-title' }, `Edit stock of ${product.name}`),
    h('p.muted.small', {}, 'A change made in the cart by the merchant: a ledger row with source "cart" and a webhook, as in the real store.'),
    h('div.row', {}, warehouses.map((w, i) => field(`Stock in ${w.name ?? w.id}`, inputs[i], { required: true }))),
    error,
    h('div.row', {}, h('button', { type: 'submit' }, 'Save stock'), h('button.ghost', { type: 'button', onclick: () => done(false) }, 'Cancel')))
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const stock = Object.fromEntries(warehouses.map((w, i) => [w.id, Number(inputs[i].value)]))
    try {
      await call('PATCH', `/_sandbox/connections/${enc(connectionId)}/products/${enc(product.id)}`, { inventory_by_warehouse_id: stock })
      toast(`Stock of ${product.name} saved`)
      done(true)
    } catch (err) {
      error.textContent = err.message
    }
  })
  queueMicrotask(() => inputs[0]?.focus())
  return form
}

export async function renderConnection (main, connectionId) {
  const overview = await call('GET', '/_sandbox/ui/api/overview')
  const organisation = overview.data.find((o) => o.connections.some((c) => c.id === connectionId))
  const connection = organisation?.connections.find((c) => c.id === connectionId)
  if (!connection) {
    replace(main, h('h1', {}, 'Connection not found'), h('p', {}, `No connection ${connectionId}. `, h('a', { href: '#/' }, 'Back to the overview')))
    return
  }
  const apiKey = organisation.api_keys.find((k) => k.access === 'full')?.key ?? organisation.api_keys[0]?.key ?? ''
  const warehouses = connection.warehouses
  let products = (await call('GET', `/_sandbox/ui/api/connections/${enc(connectionId)}/products`)).data
  const search = h('input', { type: 'search', id: 'catalogue-search', placeholder: 'id, SKU or name', autocomplete: 'off' })
  const summary = h('p.muted.small', { 'aria-live': 'polite' })
  const tbody = h('tbody')
  const editSlot = h('div')
  const tryIt = h('section.card.tryit', { 'aria-labelledby': 'tryit-title' })
  let editing = false

  const startEdit = (product) => {
    editing = true
    replace(editSlot, editForm(connectionId, product, warehouses, async () => {
      editing = false
      replace(editSlot)
      await refresh()
      tbody.querySelector(`[data-product="${CSS.escape(product.id)}"] button`)?.focus()
    }))
  }
  const draw = () => {
    const groups = filterGroups(group(products), search.value)
    const variants = groups.reduce((n, g) => n + g.variants.length, 0)
    summary.textContent = `${groups.length} parents, ${variants} variants shown of ${products.length} products`
    replace(tbody, groups.map((g) => [
      row(g.parent, warehouses, false, g.variants.length === 0 ? startEdit : null),
      g.variants.map((v) => row(v, warehouses, true, startEdit))
    ]))
  }
  const refresh = async () => {
    products = (await call('GET', `/_sandbox/ui/api/connections/${enc(connectionId)}/products`)).data
    draw()
  }
  search.addEventListener('input', draw)

  replace(main,
    h('p.crumbs', {}, h('a', { href: '#/' }, 'Overview'), ' / ', connection.id),
    h('h1', {}, connection.integration_name, ' ', h('span.muted', {}, connection.id)),
    h('div.keys', {}, h('span.label', {}, 'API key'), copyable(apiKey, 'API key'), h('span.label', {}, 'Access token'), copyable(connection.access_token, 'access token')),
    h('div.split', {},
      h('section.card.catalogue', { 'aria-labelledby': 'catalogue-title' },
        h('h2', { id: 'catalogue-title' }, 'Catalogue'),
        field('Search by id, SKU or name', search),
        summary,
        editSlot,
        h('div.table-wrap', {}, h('table.data', {},
          h('caption.visually-hidden', {}, `Catalogue of ${connection.id}: stock per warehouse`),
          h('thead', {}, h('tr', {},
            h('th', { scope: 'col' }, 'Product'),
            warehouses.map((w) => h('th.num', { scope: 'col', title: w.name ?? w.id }, w.id)),
            ['Total', 'Updated', 'Created', 'Image', ''].map((t) => h('th', { scope: 'col', class: t === 'Total' ? 'num' : null }, t)))),
          tbody))),
      tryIt))
  draw()
  await renderTryIt(tryIt, { connection, apiKey, products, onSent: refresh })

  // Stock moved by anyone (the API, the merchant edit, a reset) redraws the table: one fetch at a time, and at most
  // one every REFRESH_MS however busy the connection is (a big catalogue is a big answer).
  let timer = null
  let dirty = false
  let stopped = false
  const schedule = () => {
    if (stopped) return
    if (timer) { dirty = true; return }
    dirty = false
    timer = setTimeout(async () => {
      // An open edit form is left alone; closing it redraws the table.
      if (!editing) await refresh().catch(() => {})
      timer = setTimeout(() => { timer = null; if (dirty) schedule() }, REFRESH_MS)
    }, 100)
  }
  const stop = onActivity(({ ledger, init }) => {
    if (init || ledger.some((r) => r.connection_id === connectionId)) schedule()
  })
  return () => { stopped = true; stop(); clearTimeout(timer) }
}
