// The request journal: a bounded ring of the emulated API's requests and answers, newest first, secrets redacted.
import type { JournalEntry } from '../../schemas/control.js'
import { NEWLINE, packHead, present, unpack, type Meta, type Recorded } from './entries.js'

export type { JournalEntry }

export interface JournalFilter {
  accessToken?: string
  productId?: string
  status?: number
  method?: string
  limit: number
}

/** Bytes of slab memory per entry; an entry packed into more (a long list answer) is kept as a string instead. */
export const SLOT_BYTES = 2048
/** Slots per slab chunk: chunks are allocated as the ring first fills, so a large SANDBOX_JOURNAL_SIZE costs nothing up front. */
const CHUNK_SLOTS = 256

/** Where a slot lives: its chunk's index, and its first byte in that chunk. */
const chunkIndex = (slot: number): number => Math.floor(slot / CHUNK_SLOTS)
const slotStart = (slot: number): number => (slot % CHUNK_SLOTS) * SLOT_BYTES

/** An entry too long for a slot (a list answer): its packed head and its answer. */
interface LongEntry { head: string, payload: string }

export class Journal {
  readonly size: number
  /**
   * Each entry is packed into text (ids, headers, query, body, answer) written into a slot of reused off-heap slab
   * memory, with its numbers in typed arrays: entries kept as objects were promoted and made full GCs frequent, and a
   * reused slot allocates nothing that lives on. Only entries too long for a slot (list answers) stay on the V8 heap.
   */
  readonly #chunks: Buffer[] = []
  readonly #lengths: Int32Array
  /** Entries too long for a slot, by slot. */
  readonly #oversized = new Map<number, LongEntry>()
  /**
   * The answer of the latest long entry. A test polling a list gets the same answer again and again: an equal answer
   * shares this string instead of keeping its own copy.
   */
  #lastLongPayload = ''
  readonly #times: Float64Array
  readonly #statuses: Int16Array
  #next = 0
  #count = 0

  constructor (size: number) {
    this.size = size
    this.#lengths = new Int32Array(size)
    this.#times = new Float64Array(size * 2)
    this.#statuses = new Int16Array(size)
  }

  get count (): number {
    return this.#count
  }

  record (recorded: Recorded): void {
    const slot = this.#next
    const head = packHead(recorded)
    const payload = recorded.payload ?? ''
    this.#oversized.delete(slot)
    // UTF-8 takes 1 to 3 bytes per UTF-16 unit, so most entries need no byte count, and long ones are known at once.
    const units = head.length + payload.length
    if (units * 3 <= SLOT_BYTES || (units <= SLOT_BYTES && Buffer.byteLength(head) + Buffer.byteLength(payload) <= SLOT_BYTES)) {
      const chunk = this.#chunk(chunkIndex(slot))
      const start = slotStart(slot)
      const written = chunk.write(head, start, SLOT_BYTES, 'utf8')
      this.#lengths[slot] = payload === '' ? written : written + chunk.write(payload, start + written, SLOT_BYTES - written, 'utf8')
    } else {
      this.#keepLong(slot, head, payload)
    }
    this.#times[slot * 2] = recorded.startedMs
    this.#times[slot * 2 + 1] = recorded.elapsedMs
    this.#statuses[slot] = recorded.status ?? -1
    this.#next = (slot + 1) % this.size
    this.#count = Math.min(this.#count + 1, this.size)
  }

  #keepLong (slot: number, head: string, payload: string): void {
    // Compared only with the latest long answer: equal answers come in runs (polling), and a comparison stops at the
    // first difference, so it costs little next to building the answer.
    if (payload !== this.#lastLongPayload) this.#lastLongPayload = payload
    this.#lengths[slot] = -1
    this.#oversized.set(slot, { head, payload: this.#lastLongPayload })
  }

  #chunk (index: number): Buffer {
    let chunk = this.#chunks[index]
    if (chunk === undefined) {
      chunk = Buffer.allocUnsafeSlow(Math.min(CHUNK_SLOTS, this.size - index * CHUNK_SLOTS) * SLOT_BYTES)
      this.#chunks[index] = chunk
    }
    return chunk
  }

  clear (): void {
    this.#oversized.clear()
    this.#lastLongPayload = ''
    this.#next = 0
    this.#count = 0
  }


  #text (slot: number): string {
    const length = this.#lengths[slot] as number
    if (length === -1) {
      const long = this.#oversized.get(slot) as LongEntry
      return long.head + long.payload
    }
    const start = slotStart(slot)
    return (this.#chunks[chunkIndex(slot)] as Buffer).toString('utf8', start, start + length)
  }

  /** Slots newest first. */
  * #slotsNewestFirst (): Generator<number> {
    for (let i = 1; i <= this.#count; i++) yield (this.#next - i + this.size) % this.size
  }

  /** The entry's first line, its ids: enough to filter on, without decoding and parsing the rest of it. */
  #meta (slot: number): Meta {
    const length = this.#lengths[slot] as number
    if (length === -1) {
      const { head } = this.#oversized.get(slot) as LongEntry
      return JSON.parse(head.slice(0, head.indexOf('\n'))) as Meta
    }
    const chunk = this.#chunks[chunkIndex(slot)] as Buffer
    const start = slotStart(slot)
    // A newline byte is never part of a multi-byte UTF-8 character, and JSON text escapes its own.
    return JSON.parse(chunk.toString('utf8', start, chunk.indexOf(NEWLINE, start))) as Meta
  }

  #recorded (slot: number): Recorded {
    const status = this.#statuses[slot] as number
    return unpack(this.#text(slot), this.#times[slot * 2] as number, this.#times[slot * 2 + 1] as number, status === -1 ? null : status)
  }

  /**
   * Filtering reads no more of an entry than it needs (the status is kept apart, the ids are its first line), and
   * only the entries returned are unpacked whole: a test asking for the newest entry of a full journal after each of
   * its requests would otherwise pay for unpacking all 1,000 every time.
   */
  list (filter: JournalFilter): { data: JournalEntry[], total: number } {
    const data: JournalEntry[] = []
    let total = 0
    const method = filter.method?.toUpperCase()
    const byIds = filter.accessToken !== undefined || filter.productId !== undefined || method !== undefined
    for (const slot of this.#slotsNewestFirst()) {
      if (filter.status !== undefined && this.#statuses[slot] !== filter.status) continue
      if (byIds) {
        const [, entryMethod, , productId, , , token] = this.#meta(slot)
        if (filter.accessToken !== undefined && token !== filter.accessToken) continue
        if (filter.productId !== undefined && productId !== filter.productId) continue
        if (method !== undefined && entryMethod !== method) continue
      }
      total++
      if (data.length < filter.limit) data.push(present(this.#recorded(slot)))
    }
    return { data, total }
  }

  /**
   * The newest entries up to and excluding the one `stopAt` accepts, each with the full token it was sent with
   * (never shown: the console resolves it to the connection's id and integration).
   */
  newestWithTokens (limit: number, stopAt: (entry: JournalEntry) => boolean = () => false): { entry: JournalEntry, token: string | null }[] {
    const out: { entry: JournalEntry, token: string | null }[] = []
    for (const slot of this.#slotsNewestFirst()) {
      if (out.length >= limit) break
      const recorded = this.#recorded(slot)
      const entry = present(recorded)
      if (stopAt(entry)) break
      out.push({ entry, token: recorded.token ?? null })
    }
    return out
  }

  /** The newest entry with this request id (clients may reuse their own ids). */
  get (requestId: string): JournalEntry | undefined {
    for (const slot of this.#slotsNewestFirst()) if (this.#meta(slot)[0] === requestId) return present(this.#recorded(slot))
    return undefined
  }
}
