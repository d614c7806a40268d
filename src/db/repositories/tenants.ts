// Organisations, API keys, connections, warehouses and shops: who may call, and which store a token opens.
import type { Db } from '../database.js'
import type { Warehouse } from '../../schemas/product.js'

export type KeyAccess = 'full' | 'read_only'

export interface ApiKeyRecord { key: string, organisationId: string, access: KeyAccess }

export interface Connection {
  id: string
  organisationId: string
  integration: string
  accessToken: string
  customerId: string | null
  allowNegativeInventory: boolean
  disabledActions: string[]
  availableActions: string[]
  createdAt: string
}

export interface Shop { id: string, name: string | null }

interface ConnectionRow {
  id: string
  organisation_id: string
  integration: string
  access_token: string
  customer_id: string | null
  allow_negative_inventory: number
  disabled_actions: string
  available_actions: string
  created_at: string
}

const toConnection = (row: ConnectionRow): Connection => ({
  id: row.id,
  organisationId: row.organisation_id,
  integration: row.integration,
  accessToken: row.access_token,
  customerId: row.customer_id,
  allowNegativeInventory: row.allow_negative_inventory === 1,
  disabledActions: JSON.parse(row.disabled_actions) as string[],
  availableActions: JSON.parse(row.available_actions) as string[],
  createdAt: row.created_at
})

/**
 * Tenants change only through the control plane (new stores, deleted connections, reset, restore), while every
 * emulated request looks its caller and warehouses up: those two lookups are kept in memory, and any write here
 * (or `clearCache`, after writes that bypass this repository) drops them. Entries are only ever read in from
 * committed state outside a tenant-writing transaction, so a rolled-back write leaves nothing stale behind.
 */
export class TenantRepository {
  readonly #callers = new Map<string, { apiKey: ApiKeyRecord, connection: Connection }>()
  readonly #warehouses = new Map<string, { ids: string[], defaultId: string }>()
  readonly #onWrite: () => void
  readonly #findKey
  readonly #findConnectionByToken
  readonly #findConnection
  readonly #findCaller
  readonly #listConnections
  readonly #insertOrganisation
  readonly #insertKey
  readonly #insertConnection
  readonly #deleteConnection
  readonly #insertWarehouse
  readonly #listWarehouses
  readonly #warehouseIds
  readonly #insertShop
  readonly #listShops
  readonly #db: Db

  /** `onWrite` runs on every write here: deleting a connection cascades to products, whose cache must go too. */
  constructor (db: Db, onWrite: () => void) {
    this.#db = db
    this.#onWrite = onWrite
    this.#findKey = db.prepare<[string], { key: string, organisation_id: string, access: KeyAccess }>('SELECT key, organisation_id, access FROM api_keys WHERE key = ?')
    this.#findConnectionByToken = db.prepare<[string], ConnectionRow>('SELECT * FROM connections WHERE access_token = ?')
    this.#findCaller = db.prepare<[string, string], ConnectionRow & { key_access: KeyAccess }>(
      'SELECT c.*, k.access AS key_access FROM api_keys k JOIN connections c ON c.organisation_id = k.organisation_id WHERE k.key = ? AND c.access_token = ?')
    this.#findConnection = db.prepare<[string], ConnectionRow>('SELECT * FROM connections WHERE id = ?')
    this.#listConnections = db.prepare<[], ConnectionRow>('SELECT * FROM connections ORDER BY rowid')
    this.#insertOrganisation = db.prepare('INSERT INTO organisations (id, name) VALUES (?, ?)')
    this.#insertKey = db.prepare('INSERT INTO api_keys (key, organisation_id, access) VALUES (?, ?, ?)')
    this.#insertConnection = db.prepare(`INSERT INTO connections
      (id, organisation_id, integration, access_token, customer_id, allow_negative_inventory, disabled_actions, available_actions, created_at)
      VALUES (@id, @organisationId, @integration, @accessToken, @customerId, @allowNegativeInventory, @disabledActions, @availableActions, @createdAt)`)
    this.#deleteConnection = db.prepare('DELETE FROM connections WHERE id = ?')
    this.#insertWarehouse = db.prepare('INSERT INTO warehouses (connection_id, id, position, is_default, body) VALUES (?, ?, ?, ?, ?)')
    this.#listWarehouses = db.prepare<[string], { body: string }>('SELECT body FROM warehouses WHERE connection_id = ? ORDER BY position')
    this.#warehouseIds = db.prepare<[string], { id: string, is_default: number }>('SELECT id, is_default FROM warehouses WHERE connection_id = ? ORDER BY position')
    this.#insertShop = db.prepare('INSERT INTO shops (connection_id, id, name) VALUES (?, ?, ?)')
    this.#listShops = db.prepare<[string], Shop>('SELECT id, name FROM shops WHERE connection_id = ? ORDER BY rowid')
  }

  findApiKey (key: string): ApiKeyRecord | undefined {
    const row = this.#findKey.get(key)
    return row && { key: row.key, organisationId: row.organisation_id, access: row.access }
  }

  findConnectionByToken (token: string): Connection | undefined {
    const row = this.#findConnectionByToken.get(token)
    return row && toConnection(row)
  }

  /** The key and the connection in one lookup, when both exist and belong to the same organisation. */
  findCaller (key: string, token: string): { apiKey: ApiKeyRecord, connection: Connection } | undefined {
    // The NUL byte cannot occur in a header value, so key and token never run into each other.
    const cacheKey = `${key}\u0000${token}`
    const cached = this.#callers.get(cacheKey)
    if (cached) return cached
    const row = this.#findCaller.get(key, token)
    const found = row && { apiKey: { key, organisationId: row.organisation_id, access: row.key_access }, connection: toConnection(row) }
    // Unknown pairs are not kept: a client sending random tokens must not grow memory.
    if (found) this.#callers.set(cacheKey, found)
    return found
  }

  /** Forgets every cached lookup; call it after writes that bypass this repository (reset, restore, rollback). */
  clearCache (): void {
    this.#callers.clear()
    this.#warehouses.clear()
  }

  #wrote (): void {
    this.clearCache()
    this.#onWrite()
  }

  findConnection (id: string): Connection | undefined {
    const row = this.#findConnection.get(id)
    return row && toConnection(row)
  }

  listConnections (): Connection[] {
    return this.#listConnections.all().map(toConnection)
  }

  /** Every organisation, in creation order (the console's overview). */
  listOrganisations (): Array<{ id: string, name: string }> {
    return this.#db.prepare<[], { id: string, name: string }>('SELECT id, name FROM organisations ORDER BY rowid').all()
  }

  /** Every API key with its organisation, in creation order (the console's overview). */
  listApiKeys (): Array<{ key: string, organisation_id: string, access: KeyAccess }> {
    return this.#db.prepare<[], { key: string, organisation_id: string, access: KeyAccess }>('SELECT key, organisation_id, access FROM api_keys ORDER BY rowid').all()
  }

  insertOrganisation (id: string, name: string): void {
    this.#insertOrganisation.run(id, name)
    this.#wrote()
  }

  insertApiKey (key: string, organisationId: string, access: KeyAccess): void {
    this.#insertKey.run(key, organisationId, access)
    this.#wrote()
  }

  insertConnection (connection: Connection): void {
    this.#insertConnection.run({
      ...connection,
      allowNegativeInventory: connection.allowNegativeInventory ? 1 : 0,
      disabledActions: JSON.stringify(connection.disabledActions),
      availableActions: JSON.stringify(connection.availableActions)
    })
    this.#wrote()
  }

  /** Removes a connection and, by cascade, its warehouses, shops, products and ledger rows. */
  deleteConnection (id: string): void {
    this.#deleteConnection.run(id)
    this.#wrote()
  }

  insertWarehouse (connectionId: string, position: number, warehouse: Warehouse, isDefault: boolean): void {
    this.#insertWarehouse.run(connectionId, warehouse.id, position, isDefault ? 1 : 0, JSON.stringify(warehouse))
    this.#wrote()
  }

  /** The connection's warehouses, in order. */
  listWarehouses (connectionId: string): Warehouse[] {
    return this.#listWarehouses.all(connectionId).map((row) => JSON.parse(row.body) as Warehouse)
  }

  /** The connection's warehouse ids, and which one takes adjustments that name none: the marked default, else the first. */
  warehouseIds (connectionId: string): { ids: string[], defaultId: string } {
    const cached = this.#warehouses.get(connectionId)
    if (cached) return cached
    const rows = this.#warehouseIds.all(connectionId)
    const ids = rows.map((row) => row.id)
    // Every connection has at least one warehouse (the store builder requires it).
    const marked = Math.max(0, rows.findIndex((row) => row.is_default === 1))
    const found = { ids, defaultId: ids[marked] as string }
    if (ids.length > 0) this.#warehouses.set(connectionId, found)
    return found
  }

  insertShop (connectionId: string, shop: Shop): void {
    this.#insertShop.run(connectionId, shop.id, shop.name)
    this.#wrote()
  }

  listShops (connectionId: string): Shop[] {
    return this.#listShops.all(connectionId)
  }
}
