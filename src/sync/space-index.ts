import * as Y from 'yjs'
import { ObservableV2 } from 'lib0/observable'
import { Origin } from '../doc/origins'

/** The room of a space's meeting list. */
export const spaceIndexRoom = (space: string): string => `${space}/index`

/** The root of the meeting-list document: meeting id → Y.Map of the `MeetingEntry` fields. */
export const SPACE_INDEX_ROOT = 'meetings'

/** One meeting in the space's shared list. */
export interface MeetingEntry {
  id: string
  title: string
  group: string
  /** `YYYY-MM-DD`, or `''` when not set. */
  date: string
  /** Milliseconds since the epoch. */
  created: number
  /** Display name of whoever created it. */
  createdBy: string
}

export type MeetingFields = Pick<MeetingEntry, 'title' | 'group' | 'date'>

export interface SpaceIndexEvents {
  /** The list changed, locally or from another attendee. */
  change: (meetings: MeetingEntry[]) => void
}

/**
 * A space's meeting list, itself a synced Yjs document (room `<space>/index`) so a meeting one
 * attendee creates appears for the others, and stored locally like any document so the list
 * shows offline. Each meeting is its own Y.Map, so renaming one meeting and creating another
 * at the same time never collide; two attendees editing the same field converge on one value.
 */
export class SpaceIndex extends ObservableV2<SpaceIndexEvents> {
  private readonly meetings: Y.Map<Y.Map<unknown>>
  private readonly newId: () => string
  private readonly now: () => number

  constructor(
    readonly doc: Y.Doc,
    { newId = () => crypto.randomUUID(), now = Date.now }: { newId?: () => string; now?: () => number } = {},
  ) {
    super()
    this.meetings = doc.getMap(SPACE_INDEX_ROOT)
    this.newId = newId
    this.now = now
    this.meetings.observeDeep(this.onChange)
  }

  /** Adds a meeting and returns its id. */
  create(fields: MeetingFields & { createdBy: string }): string {
    const id = this.newId()
    const entry = new Y.Map<unknown>()
    this.doc.transact(() => {
      this.meetings.set(id, entry)
      entry.set('title', fields.title)
      entry.set('group', fields.group)
      entry.set('date', fields.date)
      entry.set('created', this.now())
      entry.set('createdBy', fields.createdBy)
    }, Origin.localForm)
    return id
  }

  /**
   * Adds a meeting under an id every attendee derives alike (the meeting of a call, the next
   * meeting of a series), unless it is listed already. Returns false when it was. Two attendees
   * adding it at once converge on one entry (the map under the id has one winner).
   */
  ensure(id: string, fields: MeetingFields & { createdBy: string }): boolean {
    if (this.meetings.has(id)) return false
    const entry = new Y.Map<unknown>()
    this.doc.transact(() => {
      this.meetings.set(id, entry)
      entry.set('title', fields.title)
      entry.set('group', fields.group)
      entry.set('date', fields.date)
      entry.set('created', this.now())
      entry.set('createdBy', fields.createdBy)
    }, Origin.localForm)
    return true
  }

  /** Changes some fields of a meeting (for instance its title, when the meeting's own meta changes). Returns false if there is no such meeting. */
  update(id: string, fields: Partial<MeetingFields>): boolean {
    const entry = this.meetings.get(id)
    if (entry === undefined) return false
    this.doc.transact(() => {
      for (const [key, value] of Object.entries(fields)) {
        if (value !== undefined && entry.get(key) !== value) entry.set(key, value)
      }
    }, Origin.localForm)
    return true
  }

  get(id: string): MeetingEntry | undefined {
    const entry = this.meetings.get(id)
    return entry === undefined ? undefined : readEntry(id, entry)
  }

  /** Every meeting, newest date first, then by title. */
  list(): MeetingEntry[] {
    const collator = new Intl.Collator('sv')
    return [...this.meetings.entries()]
      .map(([id, entry]) => readEntry(id, entry))
      .sort((a, b) => b.date.localeCompare(a.date) || collator.compare(a.title, b.title) || a.id.localeCompare(b.id))
  }

  /**
   * Meetings whose title or group contains `query`, or whose date starts with it
   * (`2024`, `2024-05`, `2024-05-02`). Case-insensitive with Swedish letters (Å, Ä, Ö).
   * An empty query returns everything.
   */
  find(query: string): MeetingEntry[] {
    const needle = normalize(query)
    if (needle === '') return this.list()
    return this.list().filter(
      (m) => normalize(m.title).includes(needle) || normalize(m.group).includes(needle) || m.date.startsWith(needle),
    )
  }

  override destroy(): void {
    this.meetings.unobserveDeep(this.onChange)
    super.destroy()
  }

  private readonly onChange = (): void => {
    this.emit('change', [this.list()])
  }
}

const normalize = (text: string): string => text.normalize('NFC').toLocaleLowerCase('sv').trim()

const readEntry = (id: string, entry: Y.Map<unknown>): MeetingEntry => {
  const text = (key: string): string => {
    const value = entry.get(key)
    return typeof value === 'string' ? value : ''
  }
  const created = entry.get('created')
  return {
    id,
    title: text('title'),
    group: text('group'),
    date: text('date'),
    created: typeof created === 'number' ? created : 0,
    createdBy: text('createdBy'),
  }
}
