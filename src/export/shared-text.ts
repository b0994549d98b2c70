import type { AgendaKind } from '../doc/schema'
import type { ExportBlock, ExportGuest, ExportItem, ExportModel, ExportPerson, InlineText } from './export-model'
import { itemReference } from './numbering'

/** The text of inline content without its marks. */
export const plainText = (text: InlineText): string => text.map((span) => span.text).join('')

/**
 * "Annika Andersson (AA)", "Cecilia Cederström (SSR)", "Marie Strömberg (MS, Kommunal)":
 * initials and party in one bracket, so a comma-separated list stays one person a comma.
 */
export const personLabel = (person: ExportPerson): string => {
  const extra = [person.initials, person.party].filter((part) => part !== '')
  return extra.length === 0 ? person.name : `${person.name} (${extra.join(', ')})`
}

/** An absent person with their reason, the way the seeds write it: "Annette Holm Persson (sem)". */
export const absentLabel = (person: ExportPerson): string =>
  person.reason === '' ? personLabel(person) : `${personLabel(person)} (${person.reason})`

/** A guest, with the item they came for: "Henrik Frindberg (Miljöförvaltningen) under punkt 5: Klimat". */
export const guestLabel = (guest: ExportGuest, model: ExportModel): string => {
  if (guest.item === null) return personLabel(guest)
  const ref = itemReference(guest.item.index, model.numbering, model.labels)
  const title = guest.item.title === '' ? '' : `: ${guest.item.title}`
  return `${personLabel(guest)} ${model.labels.guestFor} ${ref}${title}`
}

/** "UTKAST – ej justerat" / "DRAFT – not adjusted". */
/**
 * The justering record's lines, one an appointed adjuster: "Justeras: Bertil Berg, godkänt
 * 25 september 2023 kl. 12.00 (verifierat av servern)", or "… ej godkänt än" in a draft.
 */
export const justeringLines = (model: ExportModel): string[] =>
  model.justering.map((entry) => {
    const { labels } = model
    // Locked with no approval recorded (adjusted minutes brought in from paper): the name alone,
    // as the signature line of the paper minutes had it.
    if (!entry.approved && !model.draft) return `${labels.adjustedBy}: ${entry.name}`
    const state = entry.approved
      ? `${labels.approvedOn} ${entry.atText} (${entry.verified ? labels.verifiedByServer : labels.notVerified})`
      : labels.notApprovedYet
    return `${labels.adjustedBy}: ${entry.name}, ${state}`
  })

export const draftMark = (model: ExportModel): string => `${model.labels.draft} – ${model.labels.notAdjusted}`

/** The header lines under the title, in the seeds' order; empty fields are left out. */
export const headerFields = (model: ExportModel): Array<{ label: string; value: string }> => {
  const { header, labels, attendance } = model
  const fields = [
    { label: labels.organisation, value: header.organisation },
    { label: labels.group, value: header.group },
    { label: labels.date, value: header.dateText },
    { label: labels.time, value: header.timeText },
    { label: labels.place, value: header.place },
    { label: labels.convener, value: header.convener },
    { label: labels.secretary, value: header.secretary },
    { label: labels.adjusters, value: attendance.adjusters.map(personLabel).join(', ') },
  ]
  return fields.filter((field) => field.value !== '')
}

/** The attendance sections that have anyone in them, each as a heading and its entries. */
export const attendanceSections = (model: ExportModel): Array<{ heading: string; entries: string[] }> => {
  const { attendance, labels } = model
  const sections = [
    { heading: labels.present, entries: attendance.present.map(personLabel) },
    { heading: labels.absent, entries: attendance.absent.map(absentLabel) },
    { heading: labels.guests, entries: attendance.guests.map((guest) => guestLabel(guest, model)) },
  ]
  return sections.filter((section) => section.entries.length > 0)
}

type Action = Extract<ExportBlock, { type: 'action' }>

/**
 * What follows an action's text: "Ansvarig: CO, senast 1 mars 2023; klar, avbockad av
 * Ingrid". The table layout has a column of its own for the responsible and leaves it out.
 */
export const actionDetails = (action: Action, model: ExportModel, options: { responsible: boolean } = { responsible: true }): string => {
  const { labels } = model
  const parts: string[] = []
  if (options.responsible && action.responsible !== '') parts.push(`${labels.responsible}: ${action.responsible}`)
  if (action.dueText !== '') parts.push(`${labels.due} ${action.dueText}`)
  const details = parts.join(', ')
  if (action.status !== 'done') return details
  const done = action.checkedBy === '' ? labels.done : `${labels.done}, ${labels.checkedBy} ${action.checkedBy}`
  return details === '' ? done : `${details}; ${done}`
}

// Kinds that head a group of items in the seeds ("BESLUT", "INFORMATION", "Dialog"). Brief
// notes and the rounds are titled by themselves ("4. Kort, kort", "Incheckning").
const GROUPING_KINDS: ReadonlySet<AgendaKind> = new Set(['decision', 'information', 'dialog'])

/**
 * The kind heading to print before `items[index]` in the prose layout, or null: printed
 * where the grouping kind changes. Brief notes and rounds stay inside the group before
 * them, as "4. Kort, kort" does under "Information" in seed 000.
 */
export const kindHeadingBefore = (items: readonly ExportItem[], index: number): string | null => {
  const item = items[index]
  if (item === undefined || !GROUPING_KINDS.has(item.kind)) return null
  const previous = items.slice(0, index).findLast((earlier) => GROUPING_KINDS.has(earlier.kind))
  return previous?.kind === item.kind ? null : item.kindLabel
}

/** The item's heading text: "3. Title" / "§ 3 Title". */
export const itemHeading = (item: ExportItem): string => (item.title === '' ? item.number : `${item.number} ${item.title}`)

/** A safe link target: only web and mail addresses, as the editor shows them. */
export const safeHref = (href: string): string | null => (/^(https?:|mailto:)/i.test(href.trim()) ? href.trim() : null)

/** Whether `blocks[index]` opens a run of party input, which gets the "Fackliga inspel" line. */
export const startsPartyRun = (blocks: readonly ExportBlock[], index: number): boolean =>
  blocks[index]?.type === 'party' && blocks[index - 1]?.type !== 'party'
