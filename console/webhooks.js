// Webhooks: the registered endpoints, every delivery attempt with its status and payload, and resend.
import { call, enc } from './api.js'
import { copyable, field, h, json, replace, shortDate, statusBadge, toast } from './dom.js'

const POLL_MS = 1000

function endpointsTable (endpoints, reload) {
  if (endpoints.length === 0) return h('p.muted', {}, 'No endpoint registered yet.')
  return h('table.data', {},
    h('caption.visually-hidden', {}, 'Webhook endpoints'),
    h('thead', {}, h('tr', {}, ['Endpoint', 'URL', 'Events', 'Secret', 'Created', ''].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, endpoints.map((w) => h('tr', {},
      h('th', { scope: 'row' }, h('code', {}, w.id)),
      h('td', {}, w.url),
      h('td', {}, w.events.join(', ')),
      h('td', {}, copyable(w.secret, `secret of ${w.id}`)),
      h('td', {}, shortDate(w.created_at)),
      h('td', {}, h('button.small.danger', {
        type: 'button',
        'aria-label': `Remove endpoint ${w.url}`,
        onclick: async () => { await call('DELETE', `/_sandbox/webhooks/${enc(w.id)}`); toast('Endpoint removed'); await reload() }
      }, 'Remove'))))))
}

function deliveryItem (d, reload) {
  return h('li.delivery', { 'data-delivery': d.id },
    h('details', {},
      h('summary', {},
        h('span.time', {}, shortDate(d.time)),
        h('span', {}, d.event_type),
        h('span.muted.small', {}, `attempt ${d.attempt}`),
        statusBadge(d.status),
        d.error ? h('span.error.small', {}, d.error) : null,
        h('span.path', {}, d.url)),
      h('p.small', {}, 'Event ', h('code', {}, d.event_id), ' · caused by request ', h('code', {}, d.request_id), ` · ${d.duration_ms} ms`),
      h('button.small', {
        type: 'button',
        onclick: async () => {
          try {
            await call('POST', `/_sandbox/webhooks/deliveries/${enc(d.id)}/resend`)
            toast('Delivery resent')
            await reload()
          } catch (err) {
            toast(`Resend failed: ${err.message}`)
          }
        }
      }, 'Resend'),
      h('h4', {}, 'Payload'),
      json(d.payload)))
}

export async function renderWebhooks (main) {
  const endpointsSlot = h('div')
  const deliveries = h('ol.deliveries', { 'aria-label': 'Webhook deliveries, newest first' })
  const deliveriesNote = h('p.muted.small', { 'aria-live': 'polite' })
  let shown = ''
  const reload = async () => {
    const [endpoints, log] = await Promise.all([call('GET', '/_sandbox/webhooks'), call('GET', '/_sandbox/webhooks/deliveries?limit=50')])
    replace(endpointsSlot, endpointsTable(endpoints.data, reload))
    // Redrawn only when something changed, so open payloads stay open between polls.
    const key = log.data.map((d) => `${d.id}:${d.status}`).join()
    if (key !== shown) {
      shown = key
      const open = new Set([...deliveries.querySelectorAll('details[open]')].map((el) => el.parentElement.dataset.delivery))
      replace(deliveries, log.data.map((d) => deliveryItem(d, reload)))
      for (const el of deliveries.querySelectorAll('li')) if (open.has(el.dataset.delivery)) el.querySelector('details').open = true
    }
    deliveriesNote.textContent = log.total_count === 0 ? 'No delivery yet: adjust some stock with an endpoint registered.' : `${log.total_count} attempts logged, the newest 50 shown.`
  }
  const url = h('input', { type: 'url', placeholder: 'http://127.0.0.1:4000/webhooks' })
  const error = h('p.error', { role: 'alert' })
  const form = h('form.row', {}, field('Endpoint URL', url, { required: true }), h('button', { type: 'submit' }, 'Register endpoint'))
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    error.textContent = ''
    try {
      await call('POST', '/_sandbox/webhooks', { url: url.value })
      url.value = ''
      toast('Endpoint registered')
      await reload()
    } catch (err) {
      error.textContent = err.message
    }
  })
  replace(main,
    h('h1', {}, 'Webhooks'),
    h('section.card', { 'aria-labelledby': 'endpoints-title' }, h('h2', { id: 'endpoints-title' }, 'Endpoints'), endpointsSlot, form, error),
    h('section.card', { 'aria-labelledby': 'deliveries-title' }, h('h2', { id: 'deliveries-title' }, 'Deliveries'), deliveriesNote, deliveries))
  await reload()
  let stopped = false
  const timer = setInterval(() => { if (!stopped) reload().catch(() => {}) }, POLL_MS)
  return () => { stopped = true; clearInterval(timer) }
}
