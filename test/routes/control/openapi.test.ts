// Every control-plane route is documented in /openapi.json with its schemas.
import t from 'tap'
import { build } from '../../helper.js'

t.test('the control plane is in the OpenAPI document', async (t) => {
  const app = await build(t)
  const doc = (await app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { tags?: string[], requestBody?: unknown, parameters?: unknown[] }>> }
  const expected: Array<[string, string]> = [
    ['/_sandbox/snapshots', 'post'], ['/_sandbox/snapshots', 'get'], ['/_sandbox/snapshots/{name}/restore', 'post'], ['/_sandbox/snapshots/{name}', 'delete'],
    ['/_sandbox/clock', 'get'], ['/_sandbox/clock', 'post'], ['/_sandbox/clock', 'delete'],
    ['/_sandbox/requests', 'get'], ['/_sandbox/requests/{request_id}', 'get'], ['/_sandbox/adjustments', 'get'],
    ['/_sandbox/faults', 'post'], ['/_sandbox/faults', 'get'], ['/_sandbox/faults', 'delete'], ['/_sandbox/faults/{id}', 'delete']
  ]
  for (const [path, method] of expected) {
    const operation = doc.paths[path]?.[method]
    t.ok(operation, `${method.toUpperCase()} ${path}`)
    t.same(operation?.tags, ['sandbox control'])
  }
  t.ok(doc.paths['/_sandbox/faults']?.post?.requestBody, 'the fault body is documented')
  t.ok(doc.paths['/_sandbox/requests']?.get?.parameters?.length, 'the journal filters are documented')
})
