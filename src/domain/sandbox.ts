// The sandbox's state in one object: database, repositories, clock, validators, and loading or resetting fixtures.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { Ajv, ErrorObject } from 'ajv'
import { openDatabase, type Db } from '../db/database.js'
import { PACKAGE_ROOT } from '../package-root.js'
import { TenantRepository } from '../db/repositories/tenants.js'
import { ProductRepository } from '../db/repositories/products.js'
import { AdjustmentRepository } from '../db/repositories/adjustments.js'
import { WebhookEndpointRepository } from '../db/repositories/webhook-endpoints.js'
import { SandboxClock } from './clock.js'
import { ADJUST_SCHEMAS } from '../schemas/integrations.js'
import { CartProductSchema, ProductMeasurementsSchema } from '../schemas/product.js'
import { ajvErrorsToDetail, createAdjustValidator, createAjv } from './validation.js'
import type { Detail } from './errors.js'
import { InventoryService } from './inventory/service.js'
import type { CHECKPOINT_LIMITS } from './inventory/types.js'
import { createOrganisation, createStore, FixtureFileSchema, type FixtureFile } from './catalogue/store-builder.js'
import { Journal } from './journal/journal.js'
import { FaultStore } from './faults.js'
import { SnapshotStore } from './snapshots.js'
import { WebhookService, type WebhookOptions } from './webhooks.js'
import { IDEMPOTENCY_CAPACITY, IDEMPOTENCY_TTL_MS, IdempotencyRepository } from '../db/repositories/idempotency.js'

export const BUNDLED_FIXTURES = join(PACKAGE_ROOT, 'fixtures')

export class Sandbox {
  readonly db: Db
  readonly clock = new SandboxClock()
  readonly ajv: Ajv
  readonly tenants: TenantRepository
  readonly products: ProductRepository
  readonly ledger: AdjustmentRepository
  readonly inventory: InventoryService
  readonly journal: Journal
  readonly faults: FaultStore
  readonly snapshots: SnapshotStore
  readonly webhooks: WebhookService
  /** The stored first answers of Idempotency-Key requests. */
  readonly idempotency: IdempotencyRepository
  readonly fixtures: FixtureFile
  /** One compiled body validator per integration slug. */
  readonly adjustValidators: ReadonlyMap<string, (body: unknown) => Detail | null>

  constructor (options: { dbPath: string, fixtures: string, journalSize: number, checkpointLimits?: typeof CHECKPOINT_LIMITS, webhooks?: Partial<WebhookOptions> | undefined }) {
    this.ajv = createAjv()
    this.ajv.addSchema(ProductMeasurementsSchema)
    this.ajv.addSchema(CartProductSchema)
    this.adjustValidators = new Map([...ADJUST_SCHEMAS].map(([slug, schema]) => [slug, createAdjustValidator(this.ajv, schema)]))
    // The bundled fixtures are checked by the package's tests, not at every start; a user's own are always checked.
    this.fixtures = options.fixtures ? readFixtures(this.ajv, options.fixtures) : readFixtures(null, BUNDLED_FIXTURES)
    this.db = openDatabase(options.dbPath)
    this.products = new ProductRepository(this.db)
    // Deleting a connection cascades to its products in SQL, so any tenant write also drops the product cache.
    this.tenants = new TenantRepository(this.db, () => this.products.clearCache())
    this.ledger = new AdjustmentRepository(this.db)
    this.inventory = new InventoryService({ db: this.db, tenants: this.tenants, products: this.products, ledger: this.ledger, clock: this.clock, onRollback: () => this.clearCaches(), checkpointLimits: options.checkpointLimits })
    this.journal = new Journal(options.journalSize)
    this.faults = new FaultStore(this.clock)
    this.snapshots = new SnapshotStore(this.db, this.clock)
    if (this.tenants.listConnections().length === 0) this.#seed()
    this.idempotency = new IdempotencyRepository(this.db, IDEMPOTENCY_CAPACITY, IDEMPOTENCY_TTL_MS)
    // A parent's event is built only while some endpoint exists (it costs the adjust path a serialization).
    this.webhooks = new WebhookService(new WebhookEndpointRepository(this.db), this.clock, options.webhooks, (count) => { this.inventory.eventsWanted = count > 0 })
    this.inventory.onApplied(this.webhooks.onApplied)
  }

  /** Back to the loaded fixtures: every store, the ledger, the journal, the faults and the clock (named snapshots stay). */
  reset (): void {
    this.inventory.flushWrites()
    this.clock.unfreeze()
    this.journal.clear()
    this.faults.clear()
    try {
      this.db.transaction(() => {
        this.db.exec('DELETE FROM adjustments; DELETE FROM organisations;')
        this.#seed()
        // The ledger starts again from seq 1; the seeded products hold everything in it (nothing).
        this.ledger.markCaughtUp()
      })()
    } finally {
      this.clearCaches()
    }
    this.inventory.refreshSchedule()
  }

  /** Puts a named snapshot back (false when there is none); what was cached from the replaced rows is dropped. */
  restore (name: string): boolean {
    this.inventory.flushWrites()
    try {
      if (!this.snapshots.restore(name)) return false
    } finally {
      this.clearCaches()
    }
    this.inventory.refreshSchedule()
    return true
  }

  /** Drops every in-memory copy of stored rows; the next read goes to SQLite. */
  clearCaches (): void {
    this.tenants.clearCache()
    this.products.clearCache()
  }

  close (): void {
    this.inventory.stop()
    if (this.db.open) this.inventory.flushWrites()
    this.snapshots.close()
    if (this.db.open) this.db.close()
  }

  #seed (): void {
    const now = this.clock.isoNow()
    this.db.transaction(() => {
      for (const organisation of this.fixtures.organisations) {
        createOrganisation(this.tenants, organisation.id, organisation.name, organisation.api_keys)
        for (const connection of organisation.connections) createStore(this, organisation.id, connection, now)
      }
    })()
  }
}

/** Reads a fixtures file, or every *.json in a directory, and checks it with `ajv` (null: trusted) before anything is written. */
export function readFixtures (ajv: Ajv | null, path: string): FixtureFile {
  const files = statSync(path).isDirectory()
    ? readdirSync(path).filter((f) => f.endsWith('.json')).sort().map((f) => join(path, f))
    : [path]
  const validate = ajv?.compile<FixtureFile>(FixtureFileSchema)
  const organisations: FixtureFile['organisations'] = []
  for (const file of files) {
    let data: unknown
    try {
      data = JSON.parse(readFileSync(file, 'utf8'))
    } catch (err) {
      throw new Error(`Fixtures ${file} are not valid JSON: ${(err as Error).message}`)
    }
    if (validate !== undefined && !validate(data)) {
      const detail = ajvErrorsToDetail(validate.errors as ErrorObject[], 'json')
      const [field, messages] = Object.entries(detail.json as Record<string, string[]>)[0] as [string, string[]]
      throw new Error(`Fixtures ${file} are invalid at ${field}: ${messages.join(' ')}`)
    }
    organisations.push(...(data as FixtureFile).organisations)
  }
  if (organisations.length === 0) throw new Error(`No fixtures found at ${path}: expected a JSON file or a directory of them.`)
  return { organisations }
}
