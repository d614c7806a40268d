// Live activity: the server-sent event stream keeps the newest journal entries and ledger rows for every view.
import { EVENTS_PATH } from './api.js'

const KEEP = 200
export const activity = { journal: [], ledger: [] }
const listeners = new Set()
let source = null

const journalKey = (entry) => `${entry.request_id}@${entry.time}`

/** fn({journal, ledger, init}) after each message: the new rows only (all of them on init). */
export function onActivity (fn) {
  listeners.add(fn)
  return () => listeners.delete(fn)
}

function merge (list, rows, key) {
  const seen = new Set(list.map(key))
  const fresh = rows.filter((row) => !seen.has(key(row)))
  list.unshift(...fresh)
  list.length = Math.min(list.length, KEEP)
  list.sort((a, b) => (key === journalKey ? b.time.localeCompare(a.time) : b.seq - a.seq))
  return fresh
}

export function connectLive (statusEl) {
  source?.close()
  source = new EventSource(EVENTS_PATH)
  const show = (text, state) => {
    statusEl.textContent = text
    statusEl.dataset.state = state
  }
  source.addEventListener('open', () => show('live', 'on'))
  source.addEventListener('error', () => show(source.readyState === EventSource.CLOSED ? 'offline' : 'reconnecting…', 'off'))
  source.addEventListener('init', (event) => {
    const data = JSON.parse(event.data)
    activity.journal = data.journal
    activity.ledger = data.ledger
    show('live', 'on')
    for (const fn of listeners) fn({ journal: data.journal, ledger: data.ledger, init: true })
  })
  source.addEventListener('activity', (event) => {
    const data = JSON.parse(event.data)
    const journal = merge(activity.journal, data.journal, journalKey)
    const ledger = merge(activity.ledger, data.ledger, (row) => row.seq)
    if (journal.length + ledger.length > 0) for (const fn of listeners) fn({ journal, ledger, init: false })
  })
}

export function disconnectLive () {
  source?.close()
  source = null
}
