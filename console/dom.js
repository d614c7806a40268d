// DOM helpers: elements built from data with textContent only, so nothing the API returns is parsed as HTML.

/** h('tag.class', {attr: value, onclick: fn}, ...children): an element; children may be strings, nodes, arrays, null. */
export function h (spec, attrs = {}, ...children) {
  const [tag, ...classes] = spec.split('.')
  const el = document.createElement(tag || 'div')
  if (classes.length > 0) el.className = classes.join(' ')
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value)
    else if (name === 'value') el.value = value
    else el.setAttribute(name, value === true ? '' : String(value))
  }
  append(el, children)
  return el
}

function append (el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue
    if (Array.isArray(child)) append(el, child)
    else el.append(child instanceof Node ? child : String(child))
  }
}

/** Replaces an element's children. */
export function replace (el, ...children) {
  el.replaceChildren()
  append(el, children)
  return el
}

let toastTimer

export function clearToast () {
  clearTimeout(toastTimer)
  document.getElementById('toast').classList.remove('visible')
}
/** A short message read out by screen readers (the toast is a live region). */
export function toast (message) {
  const el = document.getElementById('toast')
  el.textContent = message
  el.classList.add('visible')
  clearTimeout(toastTimer)
  toastTimer = setTimeout(() => el.classList.remove('visible'), 2500)
}

/** A value with a button that copies it. */
export function copyable (value, label) {
  return h('span.copyable', {},
    h('code', {}, value),
    h('button.small.ghost', {
      type: 'button',
      'aria-label': `Copy ${label}`,
      onclick: () => copy(value, label)
    }, 'Copy'))
}

async function copy (value, label) {
  try {
    await navigator.clipboard.writeText(value)
    toast(`${label} copied`)
  } catch {
    // No clipboard permission (an embedded or headless browser): the value stays selectable on the page.
    toast(`Copy ${label} by hand: ${value}`)
  }
}

export const json = (value) => h('pre.json', {}, JSON.stringify(value, null, 2))

/** A date as the sandbox wrote it, shortened for tables (the full value is in the title). */
export function shortDate (iso) {
  if (typeof iso !== 'string') return ''
  const el = h('time', { datetime: iso, title: iso }, iso.replace('T', ' ').replace(/(\.\d+)?(Z|[+-]\d\d:?\d\d)?$/, ''))
  return el
}

export function statusBadge (status) {
  const kind = status === null ? 'dropped' : status < 300 ? 'ok' : status < 500 ? 'warn' : 'bad'
  return h(`span.badge.${kind}`, {}, status === null ? 'dropped' : String(status))
}

/** A labelled field: the label names the control for screen readers; `required` is marked for both. */
export function field (labelText, control, { required = false, hint } = {}) {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 9)}`
  control.id = id
  if (required) {
    control.required = true
    control.setAttribute('aria-required', 'true')
  }
  return h('div.field', {},
    h('label', { for: id }, labelText, required ? h('span.required', { 'aria-hidden': 'true', title: 'required' }, ' *') : null),
    control,
    hint ? h('small.hint', {}, hint) : null)
}
