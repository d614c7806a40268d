// Example adjust bodies per integration and the credentials /docs offers, taken from the loaded fixtures.
import { INTEGRATIONS, type IntegrationRow } from '../../schemas/integrations.js'
import { defaultWarehouses, type FixtureFile } from '../../domain/catalogue/store-builder.js'

type FixtureConnection = FixtureFile['organisations'][number]['connections'][number]

export interface IntegrationExample {
  row: IntegrationRow
  /** A body the integration's variant accepts and the fixture connection applies. */
  body: Record<string, unknown>
  apiKey?: string
  accessToken?: string
  productId?: string
}

export interface DocsCredentials { apiKey: string, accessToken: string }

interface Found { connection: FixtureConnection, apiKey?: string }

function fixtureConnections (fixtures: FixtureFile): Map<string, Found> {
  const bySlug = new Map<string, Found>()
  for (const organisation of fixtures.organisations) {
    const apiKey = organisation.api_keys.find((k) => k.access === 'full')?.key
    for (const connection of organisation.connections) {
      const usable = !(connection.settings?.disabled_actions ?? []).includes('adjust_inventory') &&
        (connection.settings?.available_actions ?? ['adjust_inventory']).includes('adjust_inventory')
      if (!bySlug.has(connection.integration) && usable) bySlug.set(connection.integration, { connection, ...(apiKey === undefined ? {} : { apiKey }) })
    }
  }
  return bySlug
}

/** One example per integration, in the catalogue's order: the first fixture connection of that integration supplies ids. */
export function integrationExamples (fixtures: FixtureFile): IntegrationExample[] {
  const found = fixtureConnections(fixtures)
  return INTEGRATIONS.map((row) => {
    const fixture = found.get(row.slug)
    const connection = fixture?.connection
    const warehouses = connection?.warehouses ?? defaultWarehouses(row)
    // The one marked default, else the first (a connection always has at least one).
    const warehouseId = ([...warehouses].sort((a, b) => Number(b.default === true) - Number(a.default === true))[0] as { id: string }).id
    const shops = connection?.settings?.shops ?? []
    const shop = shops[0]
    const body: Record<string, unknown> = { quantity: 1, adjustment_type: row.adjustmentTypes[0] }
    if (row.warehouseId !== 'absent') body.warehouse_id = warehouseId
    if (row.reason !== 'absent') body.reason = row.reasons?.[0]
    if (row.shopId !== 'absent') body.shop_id = typeof shop === 'string' ? shop : shop?.id ?? 'shop_id'
    const variant = connection?.products?.find((p) => p.parent_product_id !== undefined && p.parent_product_id !== p.id)
    return {
      row,
      body,
      ...(fixture?.apiKey === undefined ? {} : { apiKey: fixture.apiKey }),
      ...(connection?.access_token === undefined ? {} : { accessToken: connection.access_token }),
      ...(variant === undefined ? {} : { productId: variant.id })
    }
  })
}

/** The key and token /docs pre-fills: the Shopify fixture connection's, else the first example that has both. */
export function docsCredentials (examples: IntegrationExample[]): DocsCredentials | undefined {
  const withBoth = examples.filter((e) => e.apiKey !== undefined && e.accessToken !== undefined)
  const chosen = withBoth.find((e) => e.row.slug === 'shopify') ?? withBoth[0]
  return chosen === undefined ? undefined : { apiKey: chosen.apiKey as string, accessToken: chosen.accessToken as string }
}

/** OpenAPI `examples` of the adjust body: one per integration, saying which token and product it fits. */
export function openapiExamples (examples: IntegrationExample[]): Record<string, { summary: string, description?: string, value: unknown }> {
  return Object.fromEntries(examples.map((example) => [example.row.slug, {
    summary: example.row.displayName,
    ...(example.accessToken === undefined
      ? {}
      : { description: `For the fixture connection with access token \`${example.accessToken}\`${example.productId === undefined ? '' : ` and product_id \`${example.productId}\``}.` }),
    value: example.body
  }]))
}

/** A sentence for the document's description telling a /docs visitor which credentials to authorize with. */
export function credentialsHint (credentials: DocsCredentials | undefined): string {
  if (credentials === undefined) return ''
  return ` To try it from /docs, Authorize with the fixture key \`${credentials.apiKey}\` and an access token such as \`${credentials.accessToken}\` (each integration's token is named in its example body).`
}
