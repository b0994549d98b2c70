// @vitest-environment jsdom
import { describe, expect, it } from 'vitest'
import { buildMeeting, createMeetingDoc, getMeta, listPeople, type MeetingDescription } from '../../src/doc'
import { agendaTitles, checkbox, mountEditor } from './editor-harness'

// Seed 000 (a school board's leadership group), abridged where it only repeats a shape.
const seed000: MeetingDescription = {
  meta: { title: 'Mötesanteckningar', organisation: 'Skol- och fritidsförvaltningen', group: 'LG', secretary: 'Marie Krantz' },
  people: [
    { name: 'Mats Nilsson', initials: 'MN' },
    { name: 'Christian Olsson', initials: 'CO' },
    { name: 'Birgitta Forssman', initials: 'BF' },
  ],
  items: [
    {
      title: 'Återkoppling från grupper',
      kind: 'information',
      blocks: [
        { type: 'paragraph', text: 'Verksamhetschefsgruppen:' },
        { type: 'bullets', items: ['CESD - Matz deltog på Chefsnätverket för lärande för hållbar utveckling 29-30 jan i Uddevalla.'] },
        { type: 'paragraph', text: 'Styrgruppen:' },
        {
          type: 'bullets',
          items: [
            'Ny folkhälsoenkät för åk 6,9 och åk 2 i gymnasiet 2021 är på gång.',
            'Bokslut - Birgitta gick igenom bokslutet',
          ],
        },
      ],
    },
    {
      title: 'Skolval - Utfall',
      kind: 'information',
      presenter: 'Mats Nilsson',
      blocks: [
        { type: 'paragraph', text: 'Mats gav en uppdatering av skolvalet och hur det ser ut just nu i respektive verksamhetsområde.' },
        { type: 'bullets', items: ['Det saknas fortfarande sökande till förskoleklass vilket gör prognosen osäker.', 'Söktrycket är skiftande mellan skolorna.'] },
      ],
    },
    {
      title: 'SKA – Uppföljning på uppdragen',
      kind: 'dialog',
      presenter: 'Thomas Karlegatt och Lolitha Nilsson',
      blocks: [
        { type: 'paragraph', text: 'Hur hänger uppdragen ihop?' },
        {
          type: 'bullets',
          items: [
            {
              text: 'Arbete i grupper:',
              children: [
                {
                  type: 'bullets',
                  items: [
                    'Hur kan de gemensamma utmaningarna omhändertas inom ramen för befintliga uppdrag?',
                    { text: 'Fortsatt arbete i grupper:', children: [{ type: 'bullets', items: ['Summering och avslut'] }] },
                  ],
                },
              ],
            },
          ],
        },
      ],
    },
    {
      title: 'Kort, kort',
      kind: 'brief',
      presenter: 'Christian Olsson',
      blocks: [
        { type: 'heading', text: 'Fortsättning kring frågan FoU H22- Hypotesförslag för SFF' },
        { type: 'bullets', items: ['Förslag på forskare: Centrum för tjänsteforskning, Karlstad universitet'] },
        { type: 'decision', text: 'Ledningsgruppen tog beslut om att vi kommer tacka ja till gå med i detta.' },
        { type: 'action', text: 'Christian återkopplar till gruppen när mer respons behövs.', responsible: 'CO' },
      ],
    },
    {
      title: 'Mål och Ekonomi',
      kind: 'information',
      presenter: 'Birgitta Forssman',
      blocks: [
        { type: 'paragraph', text: 'Bokslut 2019 BUN' },
        {
          type: 'bullets',
          items: [
            'Resultat +21,5 mkr - motsvarar 0,5 % av omslutningen',
            { text: 'Utfall per verksamhet', children: [{ type: 'bullets', items: ['förskola - 4,4mkr', 'grundskola +13,8'] }] },
          ],
        },
        { type: 'attachment', name: 'Bokslut 2019 BUN.pdf' },
      ],
    },
  ],
}

describe('seed 000 rebuilt as a meeting document', () => {
  it('holds the header, the people and every kind of content the seed has, as the editor shows it', () => {
    const doc = createMeetingDoc()
    buildMeeting(doc, seed000)
    expect(getMeta(doc)).toMatchObject({ group: 'LG', secretary: 'Marie Krantz' })
    expect(listPeople(doc).map((p) => p.initials)).toEqual(['BF', 'CO', 'MN'])

    const { view, mount } = mountEditor({ doc, user: { name: 'Marie Krantz' } })
    expect(() => view.state.doc.check()).not.toThrow()
    expect(agendaTitles(view)).toEqual([
      'Återkoppling från grupper',
      'Skolval - Utfall',
      'SKA – Uppföljning på uppdragen',
      'Kort, kort',
      'Mål och Ekonomi',
    ])
    const meta = [...mount.querySelectorAll('.agenda-item-meta')].map((el) => {
      const kind = el.querySelector('select')!
      return `${kind.selectedOptions[0]!.textContent} · ${el.querySelector<HTMLInputElement>('input[name="presenter"]')!.value}`
    })
    expect(meta).toEqual([
      'Information · ',
      'Information · Mats Nilsson',
      'Dialog · Thomas Karlegatt och Lolitha Nilsson',
      'Brief notes · Christian Olsson',
      'Information · Birgitta Forssman',
    ])
    expect(mount.querySelector('.decision')?.textContent).toBe('Ledningsgruppen tog beslut om att vi kommer tacka ja till gå med i detta.')
    const action = checkbox(mount, 'Done: Christian återkopplar till gruppen när mer respons behövs.')
    expect(action.checked).toBe(false)
    expect(mount.querySelector<HTMLInputElement>('.action-details input[name="responsible"]')?.value).toBe('CO')
    expect(mount.querySelector('ul ul ul li')?.textContent).toBe('Summering och avslut')
    expect(mount.querySelector<HTMLInputElement>('.attachment input[name="attachment-name"]')?.value).toBe('Bokslut 2019 BUN.pdf')
    // Five top-level nodes for the whole meeting: the cost of a remote change stays small.
    expect(view.state.doc.childCount).toBe(5)
  })
})
