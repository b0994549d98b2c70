import type { MemberInfo } from '../protocol'
import type { MinutesDatabase } from './database'

/** A space this profile has joined through a join code. */
export interface SavedSpace {
  server: string
  space: string
  token: string
  /** A personal join code's member key (SPEC I2); the token is then '' and fetched with it. */
  key?: string
  /** When the join code was pasted, milliseconds since the epoch. */
  joined: number
}

/** Every setting Minutes keeps, by key. Absent keys read as `undefined`. */
export interface Settings {
  displayName: string
  /** `#rrggbb` */
  color: string
  spaces: SavedSpace[]
  /** The space the panel opened last. */
  currentSpace: string
  /** Where the panel was when it closed: the space id, the open meeting (or '') and how far down. */
  lastPlace: { space: string; meetingId: string; scrollY: number }
  /** Who the server last said this panel is, per joined space (`<server> <space>`), for offline use. */
  lastMembers: Record<string, MemberInfo>
}

export const readSetting = async <K extends keyof Settings>(
  db: MinutesDatabase,
  key: K,
): Promise<Settings[K] | undefined> => (await db.get('settings', key)) as Settings[K] | undefined

export const writeSetting = async <K extends keyof Settings>(
  db: MinutesDatabase,
  key: K,
  value: Settings[K],
): Promise<void> => {
  await db.put('settings', value, key)
}
