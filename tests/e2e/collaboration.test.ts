import { describe, expect, it } from 'vitest'
import { createJoinCode, launchAttendee, startServer, uniqueSpace, type Attendee } from './harness'
import {
  actionCheckbox,
  addAction,
  createMeeting,
  editorText,
  joinSpace,
  openMeeting,
  showTab,
  statusOf,
  typeInEditor,
  waitForStatus,
} from './panel-driver'

/** A and B in one space, both in the meeting A just created. */
const twoAttendeesInOneMeeting = async (title: string) => {
  const server = await startServer()
  const code = await createJoinCode(server, uniqueSpace())
  const a = await launchAttendee()
  const b = await launchAttendee()
  await joinSpace(a.page, code, 'Annika Andersson')
  await joinSpace(b.page, code, 'Bo Berg')
  await createMeeting(a.page, title)
  await openMeeting(b.page, title)
  return { server, a, b }
}

const bothContain = async (attendees: Attendee[], text: string): Promise<void> => {
  for (const [index, { page }] of attendees.entries()) {
    // Which attendee, and what its status said, when it fails (it failed once in CI, unexplained).
    const status = async () => `${await statusOf(page).getAttribute('data-status')}: ${await statusOf(page).innerText()}`
    try {
      await expect.poll(() => editorText(page), { timeout: 20_000, message: `attendee ${index} never showed ${JSON.stringify(text)}` }).toContain(text)
    } catch (error) {
      throw new Error(`${String(error)}\nits status: ${await status()}`)
    }
  }
}

describe('two attendees in one meeting', () => {
  it('text typed by A appears in B, and B sees A by name', async () => {
    const { a, b } = await twoAttendeesInOneMeeting('Ledningsgrupp LG')
    await typeInEditor(a.page, 'Skolval – utfall')

    await bothContain([b], 'Skolval – utfall')
    await expect.poll(() => b.page.locator('.presence-list').innerText()).toContain('Annika Andersson')
    await expect.poll(() => a.page.locator('.presence-list').innerText()).toContain('Bo Berg')
    await waitForStatus(a.page, 'saved')
  })

  it('concurrent ticks of two different actions both survive', async () => {
    const { a, b } = await twoAttendeesInOneMeeting('FSG')
    await addAction(a.page, 'Boka lokal')
    await addAction(a.page, 'Skicka kallelse')
    await expect.poll(() => b.page.locator('.action-item').count(), { timeout: 20_000 }).toBe(2)
    await bothContain([b], 'Skicka kallelse')

    await Promise.all([actionCheckbox(a.page, 'Boka lokal').check(), actionCheckbox(b.page, 'Skicka kallelse').check()])

    for (const { page } of [a, b]) {
      await expect.poll(() => actionCheckbox(page, 'Boka lokal').isChecked(), { timeout: 20_000 }).toBe(true)
      await expect.poll(() => actionCheckbox(page, 'Skicka kallelse').isChecked(), { timeout: 20_000 }).toBe(true)
    }
  })

  it('with the server stopped both edit, and after its restart both converge with nothing lost', async () => {
    const { server, a, b } = await twoAttendeesInOneMeeting('Förvaltningsledningsgrupp')
    await typeInEditor(a.page, 'Incheckning. ')
    await bothContain([b], 'Incheckning.')
    await waitForStatus(a.page, 'saved')
    await waitForStatus(b.page, 'saved')

    await server.kill()
    await expect.poll(() => a.page.locator('.status-line').getAttribute('data-status')).not.toBe('saved')
    await typeInEditor(a.page, 'Från A utan server. ')
    await typeInEditor(b.page, 'Från B utan server. ')
    await showTab(a.page, 'details')
    await showTab(b.page, 'details')
    await a.page.locator('input[name="place"]').fill('Rum 3')

    await server.restart()
    await bothContain([a, b], 'Från A utan server.')
    await bothContain([a, b], 'Från B utan server.')
    await bothContain([a, b], 'Incheckning.')
    await expect.poll(() => b.page.locator('input[name="place"]').inputValue(), { timeout: 20_000 }).toBe('Rum 3')
    await waitForStatus(a.page, 'saved')
    await waitForStatus(b.page, 'saved')
  })
})
