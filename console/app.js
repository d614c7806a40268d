// The console's entry: the admin-token gate, the hash router and the live stream.
import { api, setToken, Unauthorized } from './api.js'
import { clearToast, h, replace } from './dom.js'
import { connectLive, disconnectLive } from './live.js'
import { renderOverview } from './overview.js'
import { renderConnection } from './catalogue.js'
import { renderActivity } from './activity.js'
import { renderWebhooks } from './webhooks.js'
import { renderControls } from './controls.js'

const main = document.getElementById('main')
const nav = document.getElementById('nav')
const liveStatus = document.getElementById('live')
/** Each view returns a cleanup function (live subscriptions, timers), run when the view is left. */
let cleanup = () => {}

const routes = [
  [/^#\/connection\/(.+)$/, (m) => renderConnection(main, decodeURIComponent(m[1]))],
  [/^#\/activity$/, () => renderActivity(main)],
  [/^#\/webhooks$/, () => renderWebhooks(main)],
  [/^#\/controls$/, () => renderControls(main)],
  [/^/, () => renderOverview(main)]
]

async function route () {
  clearToast()
  cleanup()
  cleanup = () => {}
  const hash = location.hash || '#/'
  for (const link of nav.querySelectorAll('a')) {
    if (link.getAttribute('href') === hash || (hash.startsWith('#/connection/') && link.getAttribute('href') === '#/')) link.setAttribute('aria-current', 'page')
    else link.removeAttribute('aria-current')
  }
  const [pattern, render] = routes.find(([p]) => p.test(hash))
  try {
    cleanup = (await render(hash.match(pattern))) ?? (() => {})
  } catch (err) {
    if (err instanceof Unauthorized) return showGate('The admin token is no longer accepted: enter it again.')
    replace(main, h('p.error', { role: 'alert' }, `Could not load this view: ${err.message}`))
  }
}

/** With SANDBOX_ADMIN_TOKEN set, nothing is shown until the right token is entered. */
function showGate (message) {
  cleanup()
  cleanup = () => {}
  disconnectLive()
  nav.hidden = true
  liveStatus.textContent = 'locked'
  liveStatus.dataset.state = 'off'
  const input = h('input', { type: 'password', id: 'admin-token', name: 'admin-token', autocomplete: 'current-password', required: true, 'aria-describedby': 'gate-help' })
  const error = h('p.error', { id: 'gate-error', role: 'alert' }, message ?? '')
  const form = h('form.card.gate', { 'aria-labelledby': 'gate-title' },
    h('h1', { id: 'gate-title' }, 'Admin token required'),
    h('p', { id: 'gate-help' }, 'This sandbox runs with SANDBOX_ADMIN_TOKEN set. Enter that token to see its data; it is kept in this tab only.'),
    h('div.field', {}, h('label', { for: 'admin-token' }, 'Admin token'), input),
    error,
    h('button', { type: 'submit' }, 'Unlock'))
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    error.textContent = ''
    if (await tryToken(input.value.trim())) return start()
    error.textContent = 'That token is wrong: the sandbox refused it.'
    input.select()
    input.focus()
  })
  replace(main, form)
  input.focus()
}

async function tryToken (value) {
  setToken(value)
  try {
    await api('GET', '/_sandbox/ui/api/overview')
    return true
  } catch (err) {
    if (err instanceof Unauthorized) {
      setToken('')
      return false
    }
    throw err
  }
}

function start () {
  nav.hidden = false
  connectLive(liveStatus)
  window.onhashchange = () => { route().then(() => main.focus({ preventScroll: true })) }
  route()
}

async function boot () {
  try {
    await api('GET', '/_sandbox/health')
    // The token kept in this tab (or none) either opens the control plane or the gate asks for one.
    if (await tryToken(sessionStorage.getItem('trackstar-sandbox-admin-token') ?? '')) start()
    else showGate()
  } catch (err) {
    replace(main, h('p.error', { role: 'alert' }, `The sandbox is not answering: ${err.message}`))
  }
}

boot()
