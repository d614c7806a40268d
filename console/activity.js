// Live activity: the request journal (each entry opens to its request and answer) and the adjustment ledger.
import { h, json, replace, shortDate, statusBadge } from './dom.js'
import { activity, onActivity } from './live.js'

const SHOWN = 100

export function journalItem (entry) {
  return h('li.journal-entry', { 'data-request-id': entry.request_id },
    h('details', {},
      h('summary', {},
        h('span.time', {}, shortDate(entry.time)),
        h('span.method', {}, entry.method),
        h('span.path', {}, entry.path),
        statusBadge(entry.status),
        h('span.conn', {}, entry.connection_id ? `${entry.connection_id} · ${entry.integration}` : h('span.muted', {}, 'no connection')),
        h('span.muted.small', {}, `${Math.round(entry.duration_ms * 10) / 10} ms`),
        entry.fault_id ? h('span.badge.warn', {}, `fault ${entry.fault_id}`) : null),
      h('div.split-2', {},
        h('div', {}, h('h4', {}, 'Request'), h('p.small', {}, h('code', {}, entry.request_id)), json({ query: entry.query, headers: entry.request.headers, body: entry.request.body })),
        h('div', {}, h('h4', {}, 'Answer'), json(entry.response.body)))))
}

function ledgerRow (row) {
  return h('tr', { 'data-seq': row.seq },
    h('td', {}, shortDate(row.created_at)),
    h('td', {}, h('a', { href: `#/connection/${encodeURIComponent(row.connection_id)}` }, row.connection_id)),
    h('td', {}, h('code', {}, row.product_id)),
    h('td', {}, h('code', {}, row.warehouse_id)),
    h('td', {}, row.adjustment_type),
    h('td.num', {}, String(row.quantity)),
    h('td.num', {}, row.before === null ? '–' : String(row.before)),
    h('td.num', {}, row.after === null ? '–' : String(row.after)),
    h('td', {}, h(`span.badge.${row.status === 'applied' ? 'ok' : row.status === 'pending' ? 'info' : 'bad'}`, {}, row.status)),
    h('td', {}, row.source ?? 'api'),
    h('td.muted.small', {}, row.reason ?? ''))
}

export function renderActivity (main) {
  const journal = h('ol.journal', { 'aria-label': 'Request journal, newest first' })
  const ledger = h('tbody')
  const counts = h('p.muted.small', { 'aria-live': 'polite' })
  const showCounts = () => { counts.textContent = `${activity.journal.length} requests and ${activity.ledger.length} ledger rows shown (newest first, updating live).` }
  const drawAll = () => {
    replace(journal, activity.journal.slice(0, SHOWN).map(journalItem))
    replace(ledger, activity.ledger.slice(0, SHOWN).map(ledgerRow))
    showCounts()
  }
  replace(main,
    h('h1', {}, 'Activity'),
    counts,
    h('section.card', { 'aria-labelledby': 'journal-title' },
      h('h2', { id: 'journal-title' }, 'Request journal'),
      h('p.muted.small', {}, 'Every request to the emulated API; credentials show their last 4 characters only. Open an entry for its request and answer.'),
      journal),
    h('section.card', { 'aria-labelledby': 'ledger-title' },
      h('h2', { id: 'ledger-title' }, 'Adjustment ledger'),
      h('div.table-wrap', {}, h('table.data', {},
        h('caption.visually-hidden', {}, 'Adjustment ledger, newest first'),
        h('thead', {}, h('tr', {}, ['Created', 'Connection', 'Product', 'Warehouse', 'Type', 'Quantity', 'Before', 'After', 'Status', 'Source', 'Reason'].map((t) => h('th', { scope: 'col' }, t)))),
        ledger))))
  drawAll()
  // New rows are put on top, so entries a reader has opened stay open.
  return onActivity(({ journal: newJournal, ledger: newLedger, init }) => {
    if (init) return drawAll()
    journal.prepend(...newJournal.map(journalItem))
    ledger.prepend(...newLedger.map(ledgerRow))
    while (journal.children.length > SHOWN) journal.lastElementChild.remove()
    while (ledger.children.length > SHOWN) ledger.lastElementChild.remove()
    showCounts()
  })
}
