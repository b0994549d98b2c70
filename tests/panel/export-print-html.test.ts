import { describe, expect, it } from 'vitest'
import { buildMeeting, createMeetingDoc } from '../../src/doc'
import { exportMeeting, meetingToExportModel, renderPrintHtml } from '../../src/export'
import { seed000 } from '../fixtures/seeds/seed-000'
import { seed003 } from '../fixtures/seeds/seed-003'
import { seedDoc } from './export-helpers'

// What Chromium makes of the page is checked in tests/e2e/export-pdf.test.ts; these check
// the page itself.
describe('print page', () => {
  it('is a standalone A4 document with page numbers in the bottom margin and no scripts', () => {
    const html = renderPrintHtml(meetingToExportModel(seedDoc(seed000), { language: 'sv', numbering: 'plain' }), { layout: 'prose' })
    expect(html.startsWith('<!doctype html>\n<html lang="sv">')).toBe(true)
    expect(html).toMatch(/@page \{\s*size: A4;/)
    expect(html).toContain('@bottom-center { content: "Sida " counter(page) " av " counter(pages);')
    expect(html).toContain('@top-right { content: "UTKAST – ej justerat";')
    expect(html).toContain('<p class="draft-mark">UTKAST – ej justerat</p>')
    expect(html).not.toMatch(/<script|<link|src=/)
    expect(html).toContain('<title>Mötesanteckningar – LG – 2020-02-05</title>')
  })

  it('marks nothing as a draft once adjusted, and writes English', () => {
    const html = renderPrintHtml(meetingToExportModel(seedDoc(seed003), { language: 'en', numbering: 'plain' }), { layout: 'table' })
    expect(html).toContain('<html lang="en">')
    expect(html).not.toContain('DRAFT')
    expect(html).not.toContain('@top-right')
    expect(html).toContain('<thead><tr><th scope="col">Heading</th><th scope="col">Note</th><th scope="col">Action/Decision</th><th scope="col">Responsible</th></tr></thead>')
    expect(html).toContain('counter(page) " of " counter(pages)')
  })

  it('escapes user text and links only web addresses', () => {
    const doc = createMeetingDoc()
    buildMeeting(doc, {
      meta: { title: '<img src=x onerror=alert(1)>' },
      items: [
        {
          title: 'Bilagor',
          blocks: [
            { type: 'attachment', name: 'Bad', href: 'javascript:alert(1)' },
            { type: 'attachment', name: 'Good', href: 'https://example.org/a?b=1&c=2' },
          ],
        },
      ],
    })
    const html = renderPrintHtml(meetingToExportModel(doc, { language: 'sv', numbering: 'plain' }), { layout: 'prose' })
    expect(html).toContain('<h1>&lt;img src=x onerror=alert(1)&gt;</h1>')
    expect(html).not.toContain('javascript:')
    expect(html).toContain('<p class="attachment">Bilaga: Bad</p>')
    expect(html).toContain('<a href="https://example.org/a?b=1&amp;c=2">Good</a>')
  })

  it('is what exportMeeting returns for the html format', async () => {
    const file = await exportMeeting(seedDoc(seed000), { format: 'html', layout: 'prose', language: 'sv', numbering: 'paragraph' })
    expect(file).toMatchObject({ filename: 'LG-2020-02-05-utkast.html', mime: 'text/html;charset=utf-8' })
    expect(String(file.data)).toContain('<h3>§&nbsp;1 Återkoppling från grupper</h3>')
  })
})
