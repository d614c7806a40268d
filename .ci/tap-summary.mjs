// Echoes tap's TAP stream and ends with the plain "N passed, M failed" line CI reads.
let buffer = ''
process.stdin.setEncoding('utf8')
process.stdin.on('data', (chunk) => { buffer += chunk; process.stdout.write(chunk) })
process.stdin.on('end', () => {
  // tap 21 closes its stream with "# { total: N, pass: N, fail: N, ... }"
  const matches = [...buffer.matchAll(/^# \{ (.*) \}$/gm)]
  const last = matches.at(-1)
  const counts = {}
  for (const pair of (last?.[1] ?? '').split(',')) {
    const [key, value] = pair.split(':').map((s) => s.trim())
    if (key) counts[key] = Number(value)
  }
  const skipped = (counts.skip ?? 0) + (counts.todo ?? 0)
  console.log(`${counts.pass ?? 0} passed, ${counts.fail ?? 0} failed` + (skipped ? `, ${skipped} skipped` : ''))
})
