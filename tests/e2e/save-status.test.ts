import { describe, expect, it } from 'vitest'
import { createJoinCode, launchAttendee, startServer, uniqueSpace } from './harness'
import type { Page } from 'playwright-core'
import { onTestFinished } from 'vitest'
import * as Y from 'yjs'
import { meetingRoom } from '../../src/session/meeting-room'
import { connectClient, makeToken, whenSynced } from '../helpers/server'
import { createMeeting, editorText, joinSpace, openMeeting, statusOf, typeInEditor, waitForStatus } from './panel-driver'

/** What this profile remembers the server confirmed, read (not written) from the panel's IndexedDB. */
const remembered = (page: Page): Promise<string> =>
  page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const open = indexedDB.open('minutes')
        open.onsuccess = () => {
          const all = open.result.transaction('confirmed').objectStore('confirmed').getAll()
          all.onsuccess = () => {
            resolve(JSON.stringify((all.result as Array<{ vector: Uint8Array }>).map((r) => [...r.vector])[0] ?? []))
            open.result.close()
          }
        }
      }),
  )

// The secretary closes the laptop after the meeting: the status must say that the others do
// not have her last notes yet, whether the server is down or the browser is offline, and
// still after the panel was closed and opened again.
describe('save status tells the truth about unsent work', () => {
  it('counts the changes the server lacks with the server down, offline, and after reopening the panel; "saved" only after the acks', async () => {
    const server = await startServer()
    const code = await createJoinCode(server, uniqueSpace())
    const secretary = await launchAttendee()
    const page = secretary.page
    await joinSpace(page, code, 'Helena Ek')
    await createMeeting(page, 'FSG 12 mars')
    await typeInEditor(page, 'Budget')
    await waitForStatus(page, 'saved')

    await server.kill()
    await typeInEditor(page, ' 2026')
    await expect.poll(() => statusOf(page).innerText()).toMatch(/5 changes not yet on the server/)
    expect(await statusOf(page).getAttribute('data-status')).not.toBe('saved')

    await secretary.context.setOffline(true)
    await typeInEditor(page, '!')
    await expect.poll(() => statusOf(page).getAttribute('data-status')).toBe('offline')
    await expect.poll(() => statusOf(page).innerText()).toMatch(/Offline – 6 changes not yet on the server/)

    // Closed and opened again, still offline: the count comes from what this browser remembers.
    await page.close()
    const reopened = await secretary.openPanel()
    await openMeeting(reopened, 'FSG 12 mars')
    await expect.poll(() => statusOf(reopened).innerText()).toMatch(/Offline – 6 changes not yet on the server/)

    await secretary.context.setOffline(false)
    await expect.poll(() => statusOf(reopened).innerText()).toMatch(/6 changes not yet on the server/)
    await server.restart()
    await waitForStatus(reopened, 'saved', 30_000)
    expect(await statusOf(reopened).innerText()).toBe('All changes saved on the server')
  })

  it('does not count what the others wrote, and the server sent, as unsent after the panel is reopened', async () => {
    const server = await startServer()
    const space = uniqueSpace()
    const code = await createJoinCode(server, space)
    const a = await launchAttendee()
    const b = await launchAttendee()
    await joinSpace(a.page, code, 'Annika Andersson')
    await joinSpace(b.page, code, 'Bo Berg')
    await createMeeting(a.page, 'LG 3 mars')
    await typeInEditor(a.page, 'Från Annika')
    await waitForStatus(a.page, 'saved')
    await openMeeting(b.page, 'LG 3 mars')
    const before = await remembered(a.page)
    await typeInEditor(b.page, ' och från Bo')
    await expect.poll(() => editorText(a.page), { timeout: 20_000 }).toContain('och från Bo')
    await expect.poll(() => remembered(a.page), { timeout: 20_000 }).not.toBe(before)
    // Until A remembers everything the server has: read the server's state with a stock client.
    const room = meetingRoom(space, (await a.page.locator('.meeting-view').getAttribute('data-meeting-id'))!)
    const reader = connectClient(server.url, room, await makeToken({ room: `${space}/*`, role: 'viewer' }))
    onTestFinished(() => reader.destroy())
    await whenSynced(reader)
    const onServer = Y.decodeStateVector(Y.encodeStateVector(reader.doc))
    reader.disconnect()
    const lacking = async (): Promise<number> => {
      const known = Y.decodeStateVector(Uint8Array.from(JSON.parse(await remembered(a.page)) as number[]))
      return [...onServer].reduce((sum, [client, clock]) => sum + Math.max(0, clock - (known.get(client) ?? 0)), 0)
    }
    await expect.poll(lacking, { timeout: 20_000 }).toBe(0)

    await server.kill()
    await a.page.close()
    const again = await a.openPanel()
    await again.locator('.meeting-view').waitFor()
    await expect.poll(() => statusOf(again).getAttribute('data-status')).toBe('connecting')
    expect(await statusOf(again).innerText()).toBe('Connecting to the server…')
  })
})
