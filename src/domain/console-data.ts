// What the console shows that no other control-plane endpoint lists: organisations with their keys and connections, and a connection's catalogue.
import { findIntegration, type IntegrationRow } from '../schemas/integrations.js'
import type { Sandbox } from './sandbox.js'
import type { CartProduct, Warehouse } from '../schemas/product.js'

/** Products shown per connection; a bigger store shows its first ones and says how many there are. */
export const CATALOGUE_LIMIT = 5000

export interface OverviewConnection {
  id: string
  integration: string
  integration_name: string
  access_token: string
  customer_id: string | null
  created_at: string
  warehouses: { id: string, name: string, default: boolean }[]
  shops: { id: string, name: string | null }[]
  settings: { allow_negative_inventory: boolean, disabled_actions: string[], available_actions: string[] }
  product_count: number
}

export interface OverviewOrganisation {
  id: string
  name: string
  api_keys: { key: string, access: string }[]
  connections: OverviewConnection[]
}

export function overview (sandbox: Sandbox): OverviewOrganisation[] {
  const byId = new Map(sandbox.tenants.listOrganisations().map((o): [string, OverviewOrganisation] => [o.id, { id: o.id, name: o.name, api_keys: [], connections: [] }]))
  // Foreign keys tie every key and connection to an organisation listed above.
  const organisation = (id: string): OverviewOrganisation => byId.get(id) as OverviewOrganisation
  for (const key of sandbox.tenants.listApiKeys()) organisation(key.organisation_id).api_keys.push({ key: key.key, access: key.access })
  for (const connection of sandbox.tenants.listConnections()) {
    const defaults = sandbox.tenants.warehouseIds(connection.id).defaultId
    organisation(connection.organisationId).connections.push({
      id: connection.id,
      integration: connection.integration,
      // Connections are only ever created for a known slug.
      integration_name: (findIntegration(connection.integration) as IntegrationRow).displayName,
      access_token: connection.accessToken,
      customer_id: connection.customerId,
      created_at: connection.createdAt,
      warehouses: sandbox.tenants.listWarehouses(connection.id).map((w: Warehouse) => ({ id: w.id, name: w.name, default: w.id === defaults })),
      shops: sandbox.tenants.listShops(connection.id),
      settings: {
        allow_negative_inventory: connection.allowNegativeInventory,
        disabled_actions: connection.disabledActions,
        available_actions: connection.availableActions
      },
      product_count: sandbox.products.count(connection.id)
    })
  }
  return [...byId.values()]
}

/** The connection's products in catalogue order, or undefined when there is no such connection. */
export function catalogue (sandbox: Sandbox, connectionId: string): { products: CartProduct[], total: number } | undefined {
  if (!sandbox.tenants.findConnection(connectionId)) return undefined
  const page = sandbox.products.pageJson(connectionId, -1, CATALOGUE_LIMIT)
  return { products: page.bodies.map((body) => JSON.parse(body) as CartProduct), total: page.total }
}
