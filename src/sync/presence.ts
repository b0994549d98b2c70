import { ObservableV2 } from 'lib0/observable'
import { removeAwarenessStates, type Awareness } from 'y-protocols/awareness'
import type { PageEvents } from '../storage'

/** Who an attendee is, as others see them. */
export interface PresenceUser {
  name: string
  /** `#rrggbb` */
  color: string
}

/** One open panel in the room, for the "who is here" list. */
export interface Attendee {
  /** The Yjs client id: unique per open panel. */
  clientId: number
  name: string
  color: string
  self: boolean
}

export interface PresenceEvents {
  /** The list of attendees changed (someone came, left, or renamed). */
  change: (attendees: readonly Attendee[]) => void
}

const COLOR = /^#[0-9a-f]{6}$/i

/**
 * This page's presence in a room: publishes `{ user: { name, color }, cursor? }` as the local
 * awareness state (the shape `yCursorPlugin` reads) and keeps a sorted list of who is here.
 * The own entry is removed on `pagehide` so others see the panel close at once rather than
 * after the 30 s awareness timeout, and published again on `pageshow` (back/forward cache).
 * Sending only the own entry, throttled, is `SyncConnection`'s part (`sendOnlyOwnAwareness`).
 */
export class Presence extends ObservableV2<PresenceEvents> {
  attendees: readonly Attendee[] = []
  private user: PresenceUser
  private readonly stopPage: () => void

  constructor(
    private readonly awareness: Awareness,
    user: PresenceUser,
    { page }: { page?: PageEvents } = {},
  ) {
    super()
    this.user = checkUser(user)
    awareness.on('change', this.onChange)
    this.publish()
    if (page === undefined) {
      this.stopPage = () => {}
    } else {
      page.window.addEventListener('pagehide', this.leave)
      page.window.addEventListener('pageshow', this.publish)
      this.stopPage = () => {
        page.window.removeEventListener('pagehide', this.leave)
        page.window.removeEventListener('pageshow', this.publish)
      }
    }
    this.onChange()
  }

  /** Changes the name or colour others see. */
  setUser(user: PresenceUser): void {
    this.user = checkUser(user)
    this.awareness.setLocalStateField('user', this.user)
  }

  /** Removes the own entry (others see this panel leave). `publish` brings it back. */
  readonly leave = (): void => {
    removeAwarenessStates(this.awareness, [this.awareness.clientID], 'pagehide')
  }

  /** (Re)publishes the own entry, keeping a cursor already set. */
  readonly publish = (): void => {
    const current = this.awareness.getLocalState()
    this.awareness.setLocalState({ ...(current ?? {}), user: this.user })
  }

  /** Removes the own entry and every listener. */
  override destroy(): void {
    this.stopPage()
    this.awareness.off('change', this.onChange)
    this.leave()
    super.destroy()
  }

  private readonly onChange = (): void => {
    const next = listAttendees(this.awareness)
    if (JSON.stringify(next) === JSON.stringify(this.attendees)) return
    this.attendees = next
    this.emit('change', [next])
  }
}

/** Everyone with a valid `user` in their awareness state, by name (Swedish collation), then id. */
export const listAttendees = (awareness: Awareness): Attendee[] => {
  const attendees: Attendee[] = []
  for (const [clientId, state] of awareness.getStates()) {
    const user = (state as { user?: { name?: unknown; color?: unknown } }).user
    if (typeof user?.name !== 'string' || typeof user.color !== 'string' || !COLOR.test(user.color)) continue
    attendees.push({ clientId, name: user.name, color: user.color, self: clientId === awareness.clientID })
  }
  const collator = new Intl.Collator('sv')
  return attendees.sort((a, b) => collator.compare(a.name, b.name) || a.clientId - b.clientId)
}

const checkUser = (user: PresenceUser): PresenceUser => {
  if (!COLOR.test(user.color)) throw new Error(`presence colour must be #rrggbb, got ${JSON.stringify(user.color)}`)
  return { name: user.name, color: user.color }
}
