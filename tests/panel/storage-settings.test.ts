import { describe, expect, it, vi } from 'vitest'
import { getMeeting, listMeetings, putMeeting, readSetting, requestPersistentStorage, writeSetting } from '../../src/storage'
import { openTestDatabase } from './storage-helpers'

describe('settings, meeting index and persistent storage', () => {
  it('remembers the display name, colour and joined spaces', async () => {
    const db = await openTestDatabase()
    expect(await readSetting(db, 'displayName')).toBeUndefined()
    await writeSetting(db, 'displayName', 'Åsa Öberg')
    await writeSetting(db, 'color', '#1a7f37')
    await writeSetting(db, 'spaces', [{ server: 'ws://127.0.0.1:1234', space: 'lg', token: 't', joined: 1 }])
    expect(await readSetting(db, 'displayName')).toBe('Åsa Öberg')
    expect(await readSetting(db, 'color')).toBe('#1a7f37')
    expect(await readSetting(db, 'spaces')).toHaveLength(1)
  })

  it('lists the meetings of one space, most recently updated first', async () => {
    const db = await openTestDatabase()
    await putMeeting(db, { id: 'a', space: 's1', title: 'LG', group: 'LG', date: '2024-05-02', updated: 1 })
    await putMeeting(db, { id: 'b', space: 's1', title: 'FSG', group: 'FSG', date: '2024-05-03', updated: 2 })
    await putMeeting(db, { id: 'c', space: 's2', title: 'Other', group: '', date: '', updated: 3 })
    expect((await listMeetings(db, 's1')).map((m) => m.id)).toEqual(['b', 'a'])
    expect((await getMeeting(db, 'c'))?.title).toBe('Other')
  })

  it('asks for persistent storage once, and copes when the API is absent or already granted', async () => {
    expect(await requestPersistentStorage(undefined)).toBe('unsupported')
    expect(await requestPersistentStorage({})).toBe('unsupported')
    const persist = vi.fn(async () => true)
    expect(await requestPersistentStorage({ persist, persisted: async () => false })).toBe(true)
    expect(persist).toHaveBeenCalledTimes(1)
    const notAgain = vi.fn(async () => true)
    expect(await requestPersistentStorage({ persist: notAgain, persisted: async () => true })).toBe(true)
    expect(notAgain).not.toHaveBeenCalled()
    expect(await requestPersistentStorage({ persist: async () => Promise.reject(new Error('no')) })).toBe(false)
  })
})
