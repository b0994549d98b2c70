import type { Node as PMNode } from 'prosemirror-model'
import type * as Y from 'yjs'
import { firstItemNumber, getAdjustment, getMeta, listPeople, readBody, type Person } from '../doc'
import { isAgendaKind, NodeName } from '../doc/schema'
import type {
  ExportAttendance,
  ExportBlock,
  ExportDateStyle,
  ExportGuest,
  ExportItem,
  ExportListItem,
  ExportModel,
  ExportNumbering,
  ExportPerson,
  InlineText,
  TextSpan,
} from './export-model'
import { formatDate, formatDateTime, formatTimeSpan } from './format-date'
import { EXPORT_LABELS, type ExportLabels, type ExportLanguage } from './labels'
import { itemNumber } from './numbering'

/** What `meetingToExportModel` needs besides the document. */
export interface ExportModelOptions {
  readonly language: ExportLanguage
  readonly numbering: ExportNumbering
  /** Default 'written'. */
  readonly dates?: ExportDateStyle
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '')

const inlineText = (node: PMNode): InlineText => {
  const spans: TextSpan[] = []
  node.forEach((child) => {
    const text = child.isText ? (child.text ?? '') : child.type.name === NodeName.hardBreak ? '\n' : ''
    if (text === '') return
    const bold = child.marks.some((mark) => mark.type.name === 'strong')
    const italic = child.marks.some((mark) => mark.type.name === 'em')
    const last = spans[spans.length - 1]
    // Adjacent runs with the same marks are one span, so renderers never split a word.
    if (last !== undefined && last.bold === bold && last.italic === italic) {
      spans[spans.length - 1] = { text: last.text + text, bold, italic }
    } else {
      spans.push({ text, bold, italic })
    }
  })
  return spans
}

interface Context {
  readonly labels: ExportLabels
  readonly dates: ExportDateStyle
  readonly peopleById: ReadonlyMap<string, Person>
}

// An action's responsible is a person id of the meeting or free text ("Alla", "AA").
const responsibleText = (value: string, context: Context): string => {
  const person = context.peopleById.get(value)
  if (person === undefined) return value.trim()
  return person.initials !== '' ? person.initials : person.name
}

const listItem = (node: PMNode, context: Context): ExportListItem => {
  const first = node.firstChild
  const rest: ExportBlock[] = []
  node.forEach((child, _offset, index) => {
    if (index === 0 && child.type.name === NodeName.paragraph) return
    const block = exportBlock(child, context)
    if (block !== null) rest.push(block)
  })
  return {
    text: first !== null && first.type.name === NodeName.paragraph ? inlineText(first) : [],
    children: rest,
  }
}

const exportBlock = (node: PMNode, context: Context): ExportBlock | null => {
  switch (node.type.name) {
    // An empty paragraph (Enter pressed twice, a list left with Enter) is not a line of the
    // minutes: no blank lines in the Markdown, no empty paragraphs in Word.
    case NodeName.paragraph:
      return node.textContent.trim() === '' ? null : { type: 'paragraph', text: inlineText(node) }
    case NodeName.heading: {
      if (node.textContent.trim() === '') return null
      // Stored levels start at 3 (the item title is h2); exports count below the title.
      const level = Math.min(4, Math.max(1, (Number(node.attrs.level) || 3) - 2))
      return { type: 'heading', text: inlineText(node), level }
    }
    case NodeName.bulletList:
    case NodeName.orderedList: {
      const items: ExportListItem[] = []
      node.forEach((child) => {
        if (child.type.name === NodeName.listItem) items.push(listItem(child, context))
      })
      const ordered = node.type.name === NodeName.orderedList
      const start = ordered ? Math.max(0, Math.floor(Number(node.attrs.order) || 1)) : 1
      return { type: 'list', ordered, start, items }
    }
    case NodeName.decision:
      return { type: 'decision', text: inlineText(node) }
    case NodeName.actionItem: {
      const due = str(node.attrs.due).trim()
      return {
        type: 'action',
        text: inlineText(node),
        responsible: responsibleText(str(node.attrs.responsible), context),
        due,
        dueText: due === '' ? '' : formatDate(due, context.labels, context.dates),
        status: node.attrs.status === 'done' ? 'done' : 'open',
        checkedBy: str(node.attrs.checkedBy),
        checkedAt: str(node.attrs.checkedAt),
      }
    }
    case NodeName.partyInput: {
      const paragraphs: InlineText[] = []
      node.forEach((child) => {
        const text = inlineText(child)
        if (text.length > 0) paragraphs.push(text)
      })
      return { type: 'party', label: str(node.attrs.label).trim(), paragraphs }
    }
    case NodeName.attachment:
      return { type: 'attachment', name: str(node.attrs.name).trim(), href: str(node.attrs.href).trim() }
    default:
      // A node type from a newer client: left out rather than guessed at.
      return null
  }
}

const exportPerson = (person: Person): ExportPerson => ({
  name: person.name.trim(),
  initials: person.initials.trim(),
  party: person.party.trim(),
  reason: person.attendance === 'absent' || person.attendance === 'excused' ? person.reason.trim() : '',
})

type ItemRef = NonNullable<ExportGuest['item']>

const attendance = (people: readonly Person[], items: ReadonlyMap<string, ItemRef>): ExportAttendance => {
  const named = people.filter((person) => person.name.trim() !== '')
  const guests: ExportGuest[] = named
    .filter((person) => person.attendance === 'guest')
    // A guest for an item deleted meanwhile is listed as a guest of the whole meeting.
    .map((person) => ({ ...exportPerson(person), item: items.get(person.agendaItem) ?? null }))
  return {
    present: named.filter((person) => person.attendance === 'present').map(exportPerson),
    absent: named
      .filter((person) => person.attendance === 'absent' || person.attendance === 'excused')
      .map(exportPerson),
    guests,
    adjusters: named.filter((person) => person.adjuster).map(exportPerson),
  }
}

/**
 * Reads a meeting document into the plain export model: header (dates in the chosen
 * language), attendance, numbered agenda items with their blocks, and whether the minutes
 * are still a draft (anything not yet adjusted is). Reads only; never writes to `doc`.
 */
export const meetingToExportModel = (doc: Y.Doc, options: ExportModelOptions): ExportModel => {
  const labels = EXPORT_LABELS[options.language]
  const meta = getMeta(doc)
  // Items are numbered on from the header's first number (§ 34, § 35 …), 1 by default.
  const first = firstItemNumber(meta)
  const people = listPeople(doc)
  const context: Context = { labels, dates: options.dates ?? 'written', peopleById: new Map(people.map((person) => [person.id, person])) }
  const body = readBody(doc)
  const adjustment = getAdjustment(doc)

  const raw: Array<Omit<ExportItem, 'guests'>> = []
  body.forEach((node) => {
    if (node.type.name !== NodeName.agendaItem) return
    const blocks: ExportBlock[] = []
    let title = ''
    node.forEach((child, _offset, index) => {
      if (index === 0 && child.type.name === NodeName.agendaTitle) {
        title = child.textContent.trim()
        return
      }
      const block = exportBlock(child, context)
      if (block !== null) blocks.push(block)
    })
    const kind = isAgendaKind(node.attrs.kind) ? node.attrs.kind : 'information'
    const index = raw.length + first
    raw.push({
      id: str(node.attrs.id),
      index,
      number: itemNumber(index, options.numbering),
      title,
      kind,
      kindLabel: labels.kind[kind],
      presenter: str(node.attrs.presenter).trim(),
      blocks,
    })
  })

  const refs = new Map<string, ItemRef>(
    raw.filter((item) => item.id !== '').map((item) => [item.id, { id: item.id, index: item.index, title: item.title }]),
  )
  const who = attendance(people, refs)
  const items: ExportItem[] = raw.map((item) => ({
    ...item,
    guests: who.guests.filter((guest) => guest.item?.id === item.id && item.id !== ''),
  }))

  return {
    language: options.language,
    numbering: options.numbering,
    labels,
    header: {
      title: meta.title.trim() === '' ? labels.defaultTitle : meta.title.trim(),
      organisation: meta.organisation.trim(),
      group: meta.group.trim(),
      date: meta.date.trim(),
      dateText: formatDate(meta.date, labels, context.dates),
      timeText: formatTimeSpan(meta.start, meta.end, labels),
      place: meta.place.trim(),
      convener: meta.convener.trim(),
      secretary: meta.secretary.trim(),
      status: meta.status,
    },
    attendance: who,
    items,
    // The lock is the server's word (SPEC J7); the header's status is anyone's to write.
    draft: !adjustment.locked,
    justering: adjustment.adjusters.map((person) => {
      const approval = adjustment.approvals.find((candidate) => candidate.personId === person.id)
      return {
        name: approval?.name || person.name.trim(),
        approved: approval !== undefined,
        atText: approval === undefined ? '' : formatDateTime(approval.at, labels, context.dates),
        verified: approval?.verified === true,
      }
    }),
  }
}
