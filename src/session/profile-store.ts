import { readSetting, writeSetting, type MinutesDatabase, type SavedSpace } from '../storage'
import type { JoinedSpace, PanelPlace, Profile } from './types'

/**
 * The profile (name, colour, current space) kept in the storage module's settings store.
 * Every space joined is remembered, so switching back needs no new join code while its token
 * lives.
 */
export const loadProfile = async (db: MinutesDatabase): Promise<Profile | null> => {
  const [displayName, color, spaces, currentSpace] = await Promise.all([
    readSetting(db, 'displayName'),
    readSetting(db, 'color'),
    readSetting(db, 'spaces'),
    readSetting(db, 'currentSpace'),
  ])
  if (displayName === undefined || color === undefined) return null
  const saved = spaces?.find((space) => spaceKey(space) === currentSpace)
  const space: JoinedSpace | null =
    saved === undefined
      ? null
      : { server: saved.server, space: saved.space, token: saved.token, ...(saved.key !== undefined ? { key: saved.key } : {}) }
  return { displayName, color, space }
}

export const saveProfile = async (db: MinutesDatabase, profile: Profile, now: number): Promise<void> => {
  await writeSetting(db, 'displayName', profile.displayName)
  await writeSetting(db, 'color', profile.color)
  if (profile.space === null) {
    await writeSetting(db, 'currentSpace', '')
    return
  }
  const joined: SavedSpace = { ...profile.space, joined: now }
  const others = ((await readSetting(db, 'spaces')) ?? []).filter((space) => spaceKey(space) !== spaceKey(joined))
  await writeSetting(db, 'spaces', [...others, joined])
  await writeSetting(db, 'currentSpace', spaceKey(joined))
}

// One space id may exist on two servers; the pair names a space.
const spaceKey = (space: { server: string; space: string }): string => `${space.server} ${space.space}`

/** Where the panel was (its space, the open meeting, the scroll position), or null. */
export const loadPlace = async (db: MinutesDatabase): Promise<PanelPlace | null> => (await readSetting(db, 'lastPlace')) ?? null

export const savePlace = (db: MinutesDatabase, place: PanelPlace): Promise<void> => writeSetting(db, 'lastPlace', place)
