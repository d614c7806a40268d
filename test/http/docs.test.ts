// /docs: the Swagger UI serves the app's own document, its assets and errors in Trackstar's shape.
import t from 'tap'
import { build, listen } from '../helper.js'

t.test('over real HTTP: the page, its assets, the same document as /openapi.json, and errors in Trackstar\'s shape', async (t) => {
  const { url } = await listen(t)
  const page = await fetch(`${url}/docs`, { headers: { 'x-request-id': 'docs-page-1' } })
  t.equal(page.status, 200)
  t.match(page.headers.get('content-type'), /^text\/html/)
  t.equal(page.headers.get('x-request-id'), 'docs-page-1', 'the client\'s request id is echoed, as on every answer')
  t.match(await page.text(), /<div id="swagger-ui">/)

  const slash = await fetch(`${url}/docs/`)
  t.equal(slash.status, 200)
  t.match(slash.headers.get('x-request-id'), /^[0-9a-f-]{36}$/, 'a fresh request id otherwise')
  await slash.text()

  const css = await fetch(`${url}/docs/static/swagger-ui.css`)
  t.equal(css.status, 200)
  t.match(css.headers.get('content-type'), /^text\/css/)
  t.ok((await css.text()).length > 1000)

  const documented = await (await fetch(`${url}/docs/json`)).text()
  t.equal(documented, await (await fetch(`${url}/openapi.json`)).text(), 'the UI shows the app\'s own document, byte for byte')
  t.match(await (await fetch(`${url}/docs/yaml`)).text(), /^openapi: 3\.1\.0\n/)

  const head = await fetch(`${url}/docs`, { method: 'HEAD' })
  t.equal(head.status, 200)

  for (const path of ['/docs/static/no-such-file.js', '/docs/no-such-page']) {
    const missing = await fetch(`${url}${path}`)
    t.equal(missing.status, 404, path)
    t.same(await missing.json(), { error: `No route for GET ${path}.`, origin: 'trackstar' })
  }
  const post = await fetch(`${url}/docs`, { method: 'POST' })
  t.equal(post.status, 405)
  t.same(await post.json(), { error: 'Method POST is not allowed on /docs; allowed: GET, HEAD.', origin: 'trackstar' })
})

t.test('a document that fails to build answers a 500 in Trackstar\'s shape, and the next request gets it', async (t) => {
  const app = await build(t)
  await app.ready()
  const swagger = app.swagger
  app.swagger = (() => { throw new Error('document unavailable') }) as unknown as typeof app.swagger
  const failed = await app.inject({ url: '/docs/json' })
  t.equal(failed.statusCode, 500)
  t.equal(failed.json().origin, 'trackstar')
  app.swagger = swagger
  const retried = await app.inject({ url: '/docs/json' })
  t.equal(retried.statusCode, 200)
  t.equal(retried.json().openapi, '3.1.0')
})
