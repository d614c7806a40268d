// The console's live activity: new journal entries and ledger rows, polled and sent to subscribers in batches.
import type { Sandbox } from './sandbox.js'
import type { LedgerEntry } from '../schemas/control.js'
import type { JournalEntry } from './journal/journal.js'

/** How often the feed looks for news while someone listens; at most one message per subscriber per tick. */
export const FEED_INTERVAL_MS = 200
/** Entries of each kind per message; a burst beyond this shows its newest rows (the lists can be reloaded). */
export const FEED_BATCH = 50

export type FeedListener = (event: 'init' | 'activity', data: string) => void


export interface ConsoleJournalEntry extends JournalEntry {
  connection_id: string | null
  integration: string | null
}

/**
 * Polls instead of hooking the adjust path: with nobody listening there is no timer and the emulated API does no
 * extra work at all; with listeners, one cheap look per tick costs the same however many requests arrive.
 */
export class LiveFeed {
  readonly #sandbox: Sandbox
  readonly #listeners = new Set<FeedListener>()
  readonly #intervalMs: number
  #timer: NodeJS.Timeout | null = null
  #lastJournal: string | null = null
  #journalCount = 0
  #lastSeq = 0

  constructor (sandbox: Sandbox, intervalMs = FEED_INTERVAL_MS) {
    this.#sandbox = sandbox
    this.#intervalMs = intervalMs
  }

  get subscribers (): number {
    return this.#listeners.size
  }

  /** Sends the listener the newest entries at once, then news every tick; returns the unsubscribe function. */
  subscribe (listener: FeedListener): () => void {
    if (this.#listeners.size === 0) this.#catchUp()
    this.#listeners.add(listener)
    listener('init', JSON.stringify(this.#snapshot()))
    if (this.#timer === null) {
      this.#timer = setInterval(() => this.tick(), this.#intervalMs)
      this.#timer.unref()
    }
    return () => {
      this.#listeners.delete(listener)
      if (this.#listeners.size === 0) this.stop()
    }
  }

  stop (): void {
    if (this.#timer !== null) clearInterval(this.#timer)
    this.#timer = null
  }

  /** Looks for news once; public so tests need not wait for the timer. */
  tick (): void {
    if (this.#listeners.size === 0) return
    const journal = this.#sandbox.journal
    const maxSeq = this.#maxSeq()
    // A reset or a restore rewinds the ledger or empties the journal: everyone starts over from a fresh snapshot.
    if (maxSeq < this.#lastSeq || journal.count < this.#journalCount) {
      this.#catchUp()
      this.#broadcast('init', JSON.stringify(this.#snapshot()))
      return
    }
    const last = this.#lastJournal
    const journalNews = this.#journal((entry) => journalKey(entry) === last)
    const ledgerNews = maxSeq > this.#lastSeq ? this.#ledger(this.#lastSeq) : []
    this.#catchUp(maxSeq)
    if (journalNews.length === 0 && ledgerNews.length === 0) return
    this.#broadcast('activity', JSON.stringify({ journal: journalNews, ledger: ledgerNews }))
  }

  #broadcast (event: 'init' | 'activity', data: string): void {
    for (const listener of this.#listeners) listener(event, data)
  }

  #snapshot (): { journal: ConsoleJournalEntry[], ledger: LedgerEntry[] } {
    return { journal: this.#journal(() => false), ledger: this.#ledger(0) }
  }

  #catchUp (maxSeq = this.#maxSeq()): void {
    const newest = this.#sandbox.journal.newestWithTokens(1)[0]
    this.#lastJournal = newest === undefined ? null : journalKey(newest.entry)
    this.#journalCount = this.#sandbox.journal.count
    this.#lastSeq = maxSeq
  }

  #journal (stopAt: (entry: JournalEntry) => boolean): ConsoleJournalEntry[] {
    const tenants = this.#sandbox.tenants
    return this.#sandbox.journal.newestWithTokens(FEED_BATCH, stopAt).map(({ entry, token }) => {
      const connection = token === null ? undefined : tenants.findConnectionByToken(token)
      return { ...entry, connection_id: connection?.id ?? null, integration: connection?.integration ?? null }
    })
  }

  #maxSeq (): number {
    return this.#sandbox.ledger.maxSeq()
  }

  #ledger (afterSeq: number): LedgerEntry[] {
    return this.#sandbox.ledger.newestAfter(afterSeq, FEED_BATCH)
  }
}

/** What tells two journal entries apart: clients may reuse a request id, not at the same time. */
export const journalKey = (entry: JournalEntry): string => `${entry.request_id}@${entry.time}`
