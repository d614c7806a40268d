// Builds a connection's store (settings, warehouses, shops, products) from fixtures or a control-plane payload.
import { randomBytes } from 'node:crypto'
import { Type, type Static } from '@sinclair/typebox'
import { findIntegration, type IntegrationRow } from '../../schemas/integrations.js'
import type { CartProduct, Warehouse } from '../../schemas/product.js'
import { toProducts } from './product-input.js'
import { recomputeSums } from '../inventory/stock.js'
import { StringEnum } from '../../schemas/common.js'
import type { Connection, TenantRepository, KeyAccess } from '../../db/repositories/tenants.js'
import type { ProductRepository } from '../../db/repositories/products.js'
import { addMessage } from '../validation.js'
import { validationFailed, type Detail } from '../errors.js'
import { ACTIONS, Id, ConnectionInputSchema, WarehouseInputSchema, type ProductInput } from '../../schemas/connection.js'

export const OrganisationInputSchema = Type.Object({
  id: Id,
  name: Type.String(),
  api_keys: Type.Array(Type.Object({ key: Type.String({ minLength: 1 }), access: StringEnum(['full', 'read_only']) }, { additionalProperties: false })),
  connections: Type.Array(ConnectionInputSchema)
}, { additionalProperties: false })

export const FixtureFileSchema = Type.Object({
  organisations: Type.Array(OrganisationInputSchema, { minItems: 1 })
}, { additionalProperties: false })

export type ConnectionInput = Static<typeof ConnectionInputSchema>
export type WarehouseInput = Static<typeof WarehouseInputSchema>
export type FixtureFile = Static<typeof FixtureFileSchema>

export interface StoreSummary {
  connection: Connection
  warehouses: Warehouse[]
  products: CartProduct[]
}

export const newSecret = (prefix: string): string => `${prefix}_${randomBytes(12).toString('hex')}`

/** The usual warehouse set of an integration when a payload gives none. */
export function defaultWarehouses (row: IntegrationRow): WarehouseInput[] {
  if (row.warehouseEnum) return row.warehouseEnum.map((id, i) => ({ id, name: `${row.displayName} ${id}`, default: i === 0 }))
  if (row.warehouseId === 'absent') return [{ id: 'wh_main', name: 'Main warehouse', default: true }]
  return [{ id: 'wh_main', name: 'Main warehouse', default: true }, { id: 'wh_west', name: 'West coast warehouse' }]
}

/** A small catalogue (one parent, three sizes) for connections created without products. */
export function defaultProducts (warehouseIds: string[]): ProductInput[] {
  const stock = (n: number) => Object.fromEntries(warehouseIds.map((id) => [id, n]))
  const parent = { id: 'prod_tee', name: 'Sandbox Tee', sku: 'TEE', categories: ['Apparel', 'Tops', 'T-Shirts'], tags: ['cotton'] }
  return [
    parent,
    ...['S', 'M', 'L'].map((size, i) => ({
      id: `prod_tee_${size.toLowerCase()}`,
      name: `Sandbox Tee / ${size}`,
      sku: `TEE-${size}`,
      parent_product_id: parent.id,
      price: 25,
      unit_cost: 9.5,
      categories: parent.categories,
      inventory_by_warehouse_id: stock(10 * (i + 1))
    }))
  ]
}

function toWarehouse (input: WarehouseInput, now: string): Warehouse {
  const address = input.address ?? {}
  const part = (key: string): string | null => address[key] ?? null
  return {
    id: input.id,
    created_date: input.created_date ?? now,
    updated_date: input.updated_date ?? now,
    name: input.name ?? input.id,
    code: input.code ?? null,
    address: {
      address1: part('address1'), address2: part('address2'), address3: part('address3'),
      city: part('city'), state: part('state'), postal_code: part('postal_code'), country: part('country')
    }
  }
}

export interface StoreDeps {
  tenants: TenantRepository
  products: ProductRepository
}

/** Builds a fresh, complete store; throws a 422 naming the field for anything inconsistent. Call inside a transaction. */
export function createStore (deps: StoreDeps, organisationId: string, input: ConnectionInput, now: string): StoreSummary {
  // The payload schemas (route and fixtures) only admit catalogue slugs.
  const row = findIntegration(input.integration) as IntegrationRow
  const detail: Detail = {}
  const warehouseInputs = input.warehouses ?? defaultWarehouses(row)
  const warehouseIds = warehouseInputs.map((w) => w.id)
  checkUnique(warehouseIds, 'warehouses', detail)
  if (warehouseInputs.filter((w) => w.default === true).length > 1) addMessage(detail, 'json', 'warehouses', 'At most one warehouse may be the default.')
  if (row.warehouseEnum) {
    warehouseIds.forEach((id, i) => {
      if (!row.warehouseEnum?.includes(id)) addMessage(detail, 'json', `warehouses.${i}.id`, `${row.displayName} warehouses must be one of: ${row.warehouseEnum?.join(', ')}.`)
    })
  }

  const marked = warehouseInputs.findIndex((w) => w.default === true)
  const defaultWarehouseId = warehouseIds[marked >= 0 ? marked : 0] as string
  const products = toProducts(input.products ?? defaultProducts(warehouseIds), { warehouseIds, defaultWarehouseId, now }, detail)
  if (Object.keys(detail).length > 0) throw validationFailed(detail, 'The connection payload is invalid.')
  recomputeSums(products)

  const settings = input.settings ?? {}
  const connection: Connection = {
    id: input.id ?? newSecret('conn'),
    organisationId,
    integration: row.slug,
    accessToken: input.access_token ?? newSecret('tok'),
    customerId: input.customer_id ?? null,
    allowNegativeInventory: settings.allow_negative_inventory ?? false,
    disabledActions: settings.disabled_actions ?? [],
    availableActions: settings.available_actions ?? [...ACTIONS],
    createdAt: now
  }
  deps.tenants.insertConnection(connection)
  const warehouseRecords = warehouseInputs.map((w) => toWarehouse(w, now))
  warehouseRecords.forEach((w, i) => deps.tenants.insertWarehouse(connection.id, i, w, i === (marked >= 0 ? marked : 0)))
  for (const shop of settings.shops ?? []) deps.tenants.insertShop(connection.id, typeof shop === 'string' ? { id: shop, name: null } : { id: shop.id, name: shop.name ?? null })
  products.forEach((product, i) => deps.products.insert(connection.id, i + 1, product))
  return { connection, warehouses: warehouseRecords, products }
}

function checkUnique (ids: string[], field: string, detail: Detail): void {
  const seen = new Set<string>()
  for (const id of ids) {
    if (seen.has(id)) addMessage(detail, 'json', field, `Duplicate id: ${id}.`)
    seen.add(id)
  }
}

export function createOrganisation (tenants: TenantRepository, id: string, name: string, keys: { key: string, access: KeyAccess }[]): void {
  tenants.insertOrganisation(id, name)
  for (const key of keys) tenants.insertApiKey(key.key, id, key.access)
}
