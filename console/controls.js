// Controls: reset, named snapshots, the sandbox clock and injected faults.
import { call, enc } from './api.js'
import { field, h, replace, shortDate, toast } from './dom.js'

/** A form whose submit runs `action` and shows its error next to it. */
function actionForm (attrs, children, action) {
  const error = h('p.error', { role: 'alert' })
  const form = h('form', attrs, children, error)
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    error.textContent = ''
    try {
      await action()
    } catch (err) {
      error.textContent = err.message
    }
  })
  return form
}

function resetSection () {
  const status = h('p.muted.small', { 'aria-live': 'polite' })
  return h('section.card', { 'aria-labelledby': 'reset-title' },
    h('h2', { id: 'reset-title' }, 'Reset'),
    h('p.muted.small', {}, 'Back to the loaded fixtures: every store, the ledger, the journal, the faults and the clock. Snapshots and webhook endpoints stay.'),
    actionForm({}, h('button.danger', { type: 'submit' }, 'Reset the sandbox'), async () => {
      const result = await call('POST', '/_sandbox/reset')
      status.textContent = `Reset done: ${result.connections} connections from the fixtures.`
      toast('Sandbox reset')
    }),
    status)
}

async function snapshotsSection () {
  const list = h('tbody')
  const reload = async () => {
    const { data } = await call('GET', '/_sandbox/snapshots')
    replace(list, data.length === 0
      ? h('tr', {}, h('td', { colspan: '4' }, h('span.muted', {}, 'No snapshot yet.')))
      : data.map((s) => h('tr', { 'data-snapshot': s.name },
        h('th', { scope: 'row' }, s.name),
        h('td', {}, shortDate(s.created_at)),
        h('td.num', {}, `${Math.round(s.bytes / 1024)} KiB`),
        h('td', {}, h('button.small', {
          type: 'button',
          'aria-label': `Restore snapshot ${s.name}`,
          onclick: async () => { await call('POST', `/_sandbox/snapshots/${enc(s.name)}/restore`); toast(`Snapshot ${s.name} restored`) }
        }, 'Restore')))))
  }
  const name = h('input', { type: 'text', pattern: '[A-Za-z0-9._\\-]{1,64}', placeholder: 'before-test' })
  const section = h('section.card', { 'aria-labelledby': 'snapshots-title' },
    h('h2', { id: 'snapshots-title' }, 'Snapshots'),
    actionForm({ class: 'row' }, [field('Snapshot name', name, { required: true, hint: '1–64 of A–Z a–z 0–9 . _ -' }), h('button', { type: 'submit' }, 'Take snapshot')], async () => {
      await call('POST', '/_sandbox/snapshots', { name: name.value })
      toast(`Snapshot ${name.value} taken`)
      name.value = ''
      await reload()
    }),
    h('table.data', {},
      h('caption.visually-hidden', {}, 'Snapshots, newest first'),
      h('thead', {}, h('tr', {}, ['Name', 'Taken', 'Size', ''].map((t) => h('th', { scope: 'col' }, t)))),
      list))
  await reload()
  return section
}

async function clockSection () {
  const state = h('p', { 'aria-live': 'polite' })
  const show = (clock) => replace(state, 'Sandbox time ', h('strong', {}, clock.now), ' ', clock.frozen ? h('span.badge.warn', {}, 'frozen') : h('span.badge.ok', {}, 'real time'))
  show(await call('GET', '/_sandbox/clock'))
  const at = h('input', { type: 'text', placeholder: '2030-01-01T00:00:00Z' })
  const minutes = h('input', { type: 'number', min: '0', step: '1', value: '60' })
  return h('section.card', { 'aria-labelledby': 'clock-title' },
    h('h2', { id: 'clock-title' }, 'Clock'),
    state,
    actionForm({ class: 'row' }, [field('Freeze at (ISO date-time)', at, { required: true }), h('button', { type: 'submit' }, 'Freeze')],
      async () => { show(await call('POST', '/_sandbox/clock', { now: at.value })); toast('Clock frozen') }),
    actionForm({ class: 'row' }, [field('Advance by minutes', minutes, { required: true }), h('button', { type: 'submit' }, 'Advance')],
      async () => { show(await call('POST', '/_sandbox/clock', { advance_ms: Number(minutes.value) * 60_000 })); toast('Clock advanced') }),
    actionForm({}, h('button.ghost', { type: 'submit' }, 'Back to real time'),
      async () => { show(await call('DELETE', '/_sandbox/clock')); toast('Clock on real time') }))
}

function describeFault (f) {
  const match = Object.entries(f.match).map(([k, v]) => `${k}=${v}`).join(' ') || 'every request'
  const action = [f.action.status && `answer ${f.action.status}`, f.action.delay_ms && `delay ${f.action.delay_ms} ms`, f.action.drop && 'drop', f.action.after && 'after handling'].filter(Boolean).join(', ')
  return { match, action }
}

async function faultsSection () {
  const list = h('tbody')
  const reload = async () => {
    const { data } = await call('GET', '/_sandbox/faults')
    replace(list, data.length === 0
      ? h('tr', {}, h('td', { colspan: '5' }, h('span.muted', {}, 'No fault active.')))
      : data.map((f) => {
        const { match, action } = describeFault(f)
        return h('tr', { 'data-fault': f.id },
          h('th', { scope: 'row' }, h('code', {}, f.id)), h('td', {}, match), h('td', {}, action),
          h('td', {}, `${f.hits} hits${f.times === null ? '' : `, ${f.times} left`}`),
          h('td', {}, h('button.small.danger', {
            type: 'button',
            'aria-label': `Remove fault ${f.id}`,
            onclick: async () => { await call('DELETE', `/_sandbox/faults/${enc(f.id)}`); toast('Fault removed'); await reload() }
          }, 'Remove')))
      }))
  }
  const method = h('select', {}, ['', 'GET', 'PUT', 'POST'].map((m) => h('option', { value: m }, m || 'any')))
  const path = h('input', { type: 'text', value: '/cart/products/*/adjust-inventory' })
  const status = h('input', { type: 'number', min: '200', max: '599', value: '503' })
  const delay = h('input', { type: 'number', min: '0', max: '30000', placeholder: '0' })
  const times = h('input', { type: 'number', min: '1', placeholder: 'until removed' })
  const drop = h('input', { type: 'checkbox' })
  const form = actionForm({ class: 'fault-form' }, [
    h('div.row', {}, field('Method', method), field('Path (* = one segment)', path), field('Answer status', status), field('Delay (ms)', delay), field('Times', times)),
    h('label.check', {}, drop, ' drop the connection instead of answering'),
    h('button', { type: 'submit' }, 'Add fault')
  ], async () => {
    const match = { ...(method.value ? { method: method.value } : {}), ...(path.value ? { path: path.value } : {}) }
    const action = { ...(status.value && !drop.checked ? { status: Number(status.value) } : {}), ...(delay.value ? { delay_ms: Number(delay.value) } : {}), ...(drop.checked ? { drop: true } : {}) }
    await call('POST', '/_sandbox/faults', { match, action, ...(times.value ? { times: Number(times.value) } : {}) })
    toast('Fault added')
    await reload()
  })
  await reload()
  return h('section.card.wide', { 'aria-labelledby': 'faults-title' },
    h('h2', { id: 'faults-title' }, 'Faults'),
    h('table.data', {}, h('caption.visually-hidden', {}, 'Active faults'),
      h('thead', {}, h('tr', {}, ['Fault', 'Matches', 'Does', 'Fired', ''].map((t) => h('th', { scope: 'col' }, t)))), list),
    form)
}

export async function renderControls (main) {
  const sections = await Promise.all([snapshotsSection(), clockSection(), faultsSection()])
  replace(main, h('h1', {}, 'Controls'), h('div.grid', {}, resetSection(), ...sections))
}
