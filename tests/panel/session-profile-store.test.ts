import { describe, expect, it } from 'vitest'
import { loadPlace, loadProfile, savePlace, saveProfile, type Profile } from '../../src/session'
import { openTestDatabase } from './storage-helpers'

const annika = (space: Profile['space']): Profile => ({ displayName: 'Annika Andersson', color: '#1f77b4', space })
const SPACE_1 = { server: 'ws://127.0.0.1:1234', space: 'space-1', token: 'token-1' }
const SPACE_2 = { server: 'ws://127.0.0.1:1234', space: 'space-2', token: 'token-2' }

describe('the profile store', () => {
  it('has no profile before anyone joined, then gives back the one saved with its space', async () => {
    const db = await openTestDatabase()
    expect(await loadProfile(db)).toBeNull()
    await saveProfile(db, annika(SPACE_1), 1)
    expect(await loadProfile(db)).toEqual(annika(SPACE_1))
  })

  it('remembers every space joined: switching back to one needs no new join code', async () => {
    const db = await openTestDatabase()
    await saveProfile(db, annika(SPACE_1), 1)
    await saveProfile(db, annika(SPACE_2), 2)
    expect((await loadProfile(db))?.space).toEqual(SPACE_2)
    // Back to the first space with a newer token: the pair (server, space) names it, so it is replaced, not doubled.
    await saveProfile(db, annika({ ...SPACE_1, token: 'token-1b' }), 3)
    expect((await loadProfile(db))?.space).toEqual({ ...SPACE_1, token: 'token-1b' })
    await saveProfile(db, annika(null), 4)
    expect((await loadProfile(db))?.space).toBeNull()
  })

  it('reopens the panel where it was: no place at first, then the last place saved', async () => {
    const db = await openTestDatabase()
    expect(await loadPlace(db)).toBeNull()
    await savePlace(db, { space: 'space-1', meetingId: 'm1', scrollY: 0 })
    await savePlace(db, { space: 'space-1', meetingId: 'm1', scrollY: 840 })
    expect(await loadPlace(db)).toEqual({ space: 'space-1', meetingId: 'm1', scrollY: 840 })
    await savePlace(db, { space: 'space-1', meetingId: '', scrollY: 0 })
    expect(await loadPlace(db)).toEqual({ space: 'space-1', meetingId: '', scrollY: 0 })
  })
})
