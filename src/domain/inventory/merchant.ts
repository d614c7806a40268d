// The merchant's side: products edited or added in the cart, as Trackstar's Data Explorer does to sandbox data.
import type { Connection } from '../../db/repositories/tenants.js'
import type { CartProduct } from '../../schemas/product.js'
import { notFound, validationFailed, type Detail } from '../errors.js'
import { addMessage } from '../validation.js'
import type { Sandbox } from '../sandbox.js'
import { createStore, type StoreDeps } from '../catalogue/store-builder.js'
import type { ProductInput } from '../../schemas/connection.js'
import { addToParent, isParent } from './stock.js'
import type { AppliedChange, StockWrites } from './types.js'
import { copyOf, previousAttributes } from '../catalogue/product-diff.js'

/** A PATCH body: any product field; `inventory` and the trackstar dates as a product read back carries them. */
export type ProductPatch = Partial<ProductInput>

// Fields the sandbox computes or that a PATCH cannot move: copied from the built product only as listed here.
const STOCK_FIELDS = new Set(['inventory', 'inventory_by_warehouse_id'])
const DATE_FIELDS = new Set(['created_date', 'updated_date', 'trackstar_created_date', 'trackstar_updated_date'])

/**
 * Runs the given products through createStore, the one product-input path of POST /_sandbox/connections and the
 * fixtures (defaults, computed sums, round-trip rules and their 422s), without writing anything: its writes go to
 * a recorder. `extra` are products already in the store that the new ones refer to (their parents).
 */
function buildLikeANewStore (sandbox: Sandbox, connection: Connection, inputs: ProductInput[], extra: ProductInput[], now: string): CartProduct[] {
  const { ids, defaultId } = sandbox.tenants.warehouseIds(connection.id)
  const ignore = (): void => {}
  const recorder = { tenants: { insertConnection: ignore, insertWarehouse: ignore, insertShop: ignore }, products: { insert: ignore } } as unknown as StoreDeps
  const store = createStore(recorder, connection.organisationId, {
    integration: connection.integration,
    id: connection.id,
    warehouses: ids.map((id) => ({ id, default: id === defaultId })),
    products: [...inputs, ...extra]
  }, now)
  return store.products.slice(0, inputs.length)
}

/** A stored product as a product input (the parent a new variant names). */
const asInput = (product: CartProduct): ProductInput => ({ id: product.id, name: product.name, parent_product_id: product.parent_product_id })

function connectionOf (sandbox: Sandbox, connectionId: string): Connection {
  const connection = sandbox.tenants.findConnection(connectionId)
  if (!connection) throw notFound(`Connection ${connectionId} not found.`, connectionId)
  return connection
}

/** POST /_sandbox/connections/{id}/products: adds products (new parents, or variants of new or existing parents). */
export function addProducts (sandbox: Sandbox, connectionId: string, inputs: ProductInput[], requestId: string): CartProduct[] {
  const connection = connectionOf(sandbox, connectionId)
  const detail: Detail = {}
  inputs.forEach((input, i) => {
    if (sandbox.products.get(connection.id, input.id)) addMessage(detail, 'json', `products.${i}.id`, `A product with id ${input.id} already exists in this connection.`)
  })
  if (Object.keys(detail).length > 0) throw validationFailed(detail, 'The products payload is invalid.')
  const newIds = new Set(inputs.map((p) => p.id))
  const parents = new Map<string, CartProduct>()
  for (const input of inputs) {
    const parentId = input.parent_product_id
    if (parentId === undefined || newIds.has(parentId)) continue
    const parent = sandbox.products.get(connection.id, parentId)
    if (parent) parents.set(parentId, parent)
  }
  const now = sandbox.clock.isoNow()
  const built = buildLikeANewStore(sandbox, connection, inputs, [...parents.values()].map(asInput), now)

  return sandbox.inventory.writeNow(() => {
    const changes: AppliedChange[] = []
    const before = new Map([...parents].map(([id, parent]) => [id, copyOf(parent)]))
    let position = sandbox.products.nextPosition(connection.id)
    for (const product of built) {
      sandbox.products.insert(connection.id, position++, product)
      const parent = parents.get(product.parent_product_id)
      if (parent && !isParent(product)) {
        for (const [warehouse, quantity] of Object.entries(product.inventory_by_warehouse_id)) addToParent(parent, warehouse, quantity)
        parent.updated_date = now
        parent.trackstar_updated_date = now
        sandbox.products.stage(connection.id, parent)
      }
      changes.push({ connection, requestId, productJson: JSON.stringify(product), previous: {}, event: 'cart-product.created' })
    }
    for (const [id, parent] of parents) {
      changes.push({ connection, requestId, productJson: JSON.stringify(parent), previous: previousAttributes(before.get(id) as CartProduct, parent) })
    }
    return { value: built, changes }
  })
}

/**
 * PATCH /_sandbox/connections/{id}/products/{id}: keys given are set, the rest kept (inside inventory_by_warehouse_id,
 * measurements and additional_fields too). Stock changes move the parent's sums and each leaves a ledger row with source "cart".
 */
export function editProduct (sandbox: Sandbox, connectionId: string, productId: string, patch: ProductPatch, requestId: string): CartProduct {
  const connection = connectionOf(sandbox, connectionId)
  const product = sandbox.products.get(connection.id, productId)
  if (!product) throw notFound(`Cart product ${productId} not found.`, productId)
  const detail: Detail = {}
  if (patch.id !== undefined && patch.id !== productId) addMessage(detail, 'json', 'id', 'Cannot be changed: it must equal the product id in the path.')
  if (patch.parent_product_id !== undefined && patch.parent_product_id !== product.parent_product_id) addMessage(detail, 'json', 'parent_product_id', 'Cannot be changed: create a new product under the other parent instead.')
  const { ids: warehouseIds, defaultId } = sandbox.tenants.warehouseIds(connection.id)
  const levels = { ...product.inventory_by_warehouse_id, ...patch.inventory_by_warehouse_id }
  if (patch.inventory !== undefined && patch.inventory !== null && patch.inventory_by_warehouse_id === undefined) {
    // `inventory` alone: the default warehouse takes the difference, the others keep their stock.
    const others = Object.entries(levels).filter(([id]) => id !== defaultId).reduce((sum, [, n]) => sum + n, 0)
    levels[defaultId] = patch.inventory - others
    if (levels[defaultId] < 0 && !connection.allowNegativeInventory) addMessage(detail, 'json', 'inventory', `Must be at least ${others}: the other warehouses hold that much.`)
  }
  const stockGiven = patch.inventory_by_warehouse_id !== undefined || (patch.inventory !== undefined && patch.inventory !== null)
  const variants = isParent(product) ? sandbox.products.countVariants(connection.id, product.id) : 0
  if (stockGiven && variants > 0) addMessage(detail, 'json', 'inventory_by_warehouse_id', "A parent's stock is the sum of its variants': change the variants instead.")
  for (const [warehouse, quantity] of Object.entries(patch.inventory_by_warehouse_id ?? {})) {
    if (quantity < 0 && !connection.allowNegativeInventory && warehouseIds.includes(warehouse)) addMessage(detail, 'json', `inventory_by_warehouse_id.${warehouse}`, 'Must be greater than or equal to 0 (the connection does not allow negative stock).')
  }
  if (patch.inventory !== undefined && patch.inventory !== null && patch.inventory_by_warehouse_id !== undefined) {
    const sum = Object.values(levels).reduce((a, b) => a + b, 0)
    if (sum !== patch.inventory) addMessage(detail, 'json', 'inventory', `Must equal the sum of inventory_by_warehouse_id after the merge (${sum}).`)
  }
  if (Object.keys(detail).length > 0) throw validationFailed(detail, 'The product patch is invalid.')

  const now = sandbox.clock.isoNow()
  const merged: ProductInput = {
    ...(product as unknown as ProductInput),
    ...patch,
    id: productId,
    inventory_by_warehouse_id: levels,
    measurements: { ...product.measurements, ...patch.measurements },
    additional_fields: { ...product.additional_fields, ...patch.additional_fields }
  }
  if (patch.inventory === undefined || patch.inventory_by_warehouse_id === undefined) delete (merged as ProductPatch).inventory
  const parent = isParent(product) ? undefined : sandbox.products.get(connection.id, product.parent_product_id)
  const [built] = rethrowAsPatch(() => buildLikeANewStore(sandbox, connection, [merged], parent ? [asInput(parent)] : [], now))

  return sandbox.inventory.writeNow((writes) => {
    const before = copyOf(product)
    const parentBefore = parent && copyOf(parent)
    applyStock(connection, product, built as CartProduct, variants === 0 && isParent(product), writes, requestId, now, sandbox)
    for (const [key, value] of Object.entries(built as CartProduct)) {
      if (!STOCK_FIELDS.has(key) && !DATE_FIELDS.has(key)) (product as unknown as Record<string, unknown>)[key] = value
    }
    const changed = Object.keys(previousAttributes(before, product)).length > 0
    if (changed || patch.updated_date !== undefined) product.updated_date = patch.updated_date ?? now
    if (changed || patch.trackstar_updated_date !== undefined) product.trackstar_updated_date = patch.trackstar_updated_date ?? now
    if (patch.created_date !== undefined) product.created_date = patch.created_date
    if (patch.trackstar_created_date !== undefined) product.trackstar_created_date = patch.trackstar_created_date
    sandbox.products.stage(connection.id, product)
    const changes: AppliedChange[] = []
    const previous = previousAttributes(before, product)
    if (Object.keys(previous).length > 0) changes.push({ connection, requestId, productJson: JSON.stringify(product), previous })
    const parentPrevious = parent && parentBefore ? previousAttributes(parentBefore, parent) : {}
    if (parent && Object.keys(parentPrevious).length > 0) changes.push({ connection, requestId, productJson: JSON.stringify(parent), previous: parentPrevious })
    return { value: product, changes }
  })
}

/** Each warehouse whose stock differs: set (a variant through the inventory's one path, which moves its parent), one ledger row each. */
function applyStock (connection: Connection, product: CartProduct, built: CartProduct, standalone: boolean, writes: StockWrites, requestId: string, now: string, sandbox: Sandbox): void {
  for (const [warehouse, after] of Object.entries(built.inventory_by_warehouse_id)) {
    const before = product.inventory_by_warehouse_id[warehouse] ?? 0
    if (before === after && warehouse in product.inventory_by_warehouse_id) continue
    if (standalone) {
      product.inventory_by_warehouse_id[warehouse] = after
      product.inventory = Object.values(product.inventory_by_warehouse_id).reduce((a, b) => a + b, 0)
      sandbox.products.stage(connection.id, product)
    } else {
      writes.setStock(connection.id, product, warehouse, after, now)
    }
    writes.record({
      request_id: requestId,
      connection_id: connection.id,
      product_id: product.id,
      warehouse_id: warehouse,
      shop_id: null,
      adjustment_type: 'exact',
      quantity: after,
      reason: 'merchant edit',
      before,
      after,
      status: 'applied',
      created_at: now,
      applies_at: now,
      applied_at: now,
      source: 'cart'
    })
  }
}

/** createStore names fields as `products.0.<field>`; a PATCH body is the product itself. */
function rethrowAsPatch<T> (fn: () => T): T {
  try {
    return fn()
  } catch (err) {
    const body = (err as { body?: { detail?: Detail } }).body
    const json = body?.detail?.json
    /* c8 ignore next -- createStore throws nothing but 422s on json fields; anything else is passed on as it is */
    if (json === undefined) throw err
    const detail: Detail = {}
    for (const [field, messages] of Object.entries(json)) {
      for (const message of messages) addMessage(detail, 'json', field.replace(/^products\.0\./, ''), message)
    }
    throw validationFailed(detail, 'The product patch is invalid.')
  }
}
