// Overview: organisations, their API keys and connections (integration, token, warehouses, settings), and a new connection.
import { call, enc } from './api.js'
import { copyable, field, h, replace, toast } from './dom.js'

function settingsBadges (connection) {
  const { settings, shops } = connection
  const badges = []
  for (const action of settings.disabled_actions) badges.push(h('span.badge.warn', {}, `${action} disabled`))
  const missing = ['adjust_inventory', 'get_products', 'get_warehouses'].filter((a) => !settings.available_actions.includes(a))
  for (const action of missing) badges.push(h('span.badge.bad', {}, `${action} not implemented`))
  if (settings.allow_negative_inventory) badges.push(h('span.badge.info', {}, 'negative stock allowed'))
  if (shops.length > 0) badges.push(h('span.badge', {}, `shops: ${shops.map((s) => s.id).join(', ')}`))
  return badges.length > 0 ? badges : h('span.muted', {}, 'defaults')
}

function connectionsTable (organisation) {
  return h('table.data', {},
    h('caption.visually-hidden', {}, `Connections of ${organisation.name}`),
    h('thead', {}, h('tr', {}, ['Connection', 'Integration', 'Access token', 'Warehouses', 'Settings', 'Products'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, organisation.connections.map((c) => h('tr', { 'data-connection': c.id },
      h('th', { scope: 'row' }, h('a', { href: `#/connection/${enc(c.id)}` }, c.id)),
      h('td', {}, c.integration_name, h('div.muted.small', {}, c.integration)),
      h('td', {}, copyable(c.access_token, `access token of ${c.id}`)),
      h('td', {}, h('ul.plain', {}, c.warehouses.map((w) => h('li', {}, h('code', {}, w.id), w.name ? ` ${w.name}` : '', w.default ? h('span.badge.small', {}, 'default') : null)))),
      h('td', {}, settingsBadges(c)),
      h('td.num', {}, String(c.product_count))))))
}

function createForm (integrations, organisations, onCreated) {
  const integration = h('select', { name: 'integration' }, integrations.map((i) => h('option', { value: i.slug }, `${i.display_name} (${i.slug})`)))
  const organisation = h('select', { name: 'organisation' },
    h('option', { value: '' }, 'A new organisation'),
    organisations.flatMap((o) => o.api_keys.filter((k) => k.access === 'full').slice(0, 1).map((k) => h('option', { value: k.key }, `${o.name} (${o.id})`))))
  const result = h('div', { 'aria-live': 'polite' })
  const form = h('form.card.inline-form', { 'aria-labelledby': 'create-title' },
    h('h2', { id: 'create-title' }, 'Create a connection'),
    h('p.muted', {}, 'A fresh, isolated store with the integration\'s usual warehouses and a small seeded catalogue.'),
    h('div.row', {}, field('Integration', integration, { required: true }), field('Organisation', organisation)),
    h('button', { type: 'submit' }, 'Create connection'),
    result)
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    try {
      const body = { integration: integration.value, ...(organisation.value ? { api_key: organisation.value } : {}) }
      const created = await call('POST', '/_sandbox/connections', body)
      toast(`Connection ${created.connection_id} created`)
      await onCreated(created)
    } catch (err) {
      replace(result, h('p.error', { role: 'alert' }, err.message))
    }
  })
  return form
}

export async function renderOverview (main) {
  const [overview, integrations] = await Promise.all([call('GET', '/_sandbox/ui/api/overview'), call('GET', '/_sandbox/integrations')])
  const organisations = overview.data
  const count = organisations.reduce((n, o) => n + o.connections.length, 0)
  replace(main,
    h('h1', {}, 'Overview'),
    h('p.muted', {}, `${organisations.length} organisations, ${count} connections. Open a connection to see its catalogue and send an adjustment.`),
    organisations.map((o) => h('section.card', { 'aria-labelledby': `org-${o.id}` },
      h('h2', { id: `org-${o.id}` }, o.name, ' ', h('span.muted.small', {}, o.id)),
      h('div.keys', {}, h('span.label', {}, 'API keys'),
        o.api_keys.map((k) => h('span.key', {}, copyable(k.key, `API key ${k.key}`), h('span.badge.small', {}, k.access)))),
      connectionsTable(o))),
    createForm(integrations.data, organisations, async (created) => {
      await renderOverview(main)
      document.querySelector(`[data-connection="${CSS.escape(created.connection_id)}"] a`)?.focus()
    }))
}
