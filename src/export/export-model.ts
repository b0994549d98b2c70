import type { ActionStatus, AgendaKind } from '../doc/schema'
import type { MeetingStatus } from '../doc'
import type { ExportLabels, ExportLanguage } from './labels'

/** How agenda items are numbered: "1." or "§ 1". */
export type ExportNumbering = 'plain' | 'paragraph'
/** Dates written out ("27 februari 2023", the prose seeds) or ISO ("2023-02-27", seed 003). */
export type ExportDateStyle = 'written' | 'iso'

/** The two forms of the seeds: running prose (000, 001, 002, 004) or the four-column table (003). */
export type ExportLayout = 'prose' | 'table'

/** A run of text with its marks; a hard line break inside a paragraph is a `\n` in `text`. */
export interface TextSpan {
  readonly text: string
  readonly bold: boolean
  readonly italic: boolean
}

/** The inline content of one paragraph-like block. */
export type InlineText = readonly TextSpan[]

/** One entry of a list: its first paragraph, then whatever is nested under it. */
export interface ExportListItem {
  readonly text: InlineText
  readonly children: readonly ExportBlock[]
}

/** One block of an agenda item, as every renderer needs it. */
export type ExportBlock =
  | { readonly type: 'paragraph'; readonly text: InlineText }
  /** `level` counts inside the item: 1 is the first level below the item's title. */
  | { readonly type: 'heading'; readonly text: InlineText; readonly level: number }
  | {
      readonly type: 'list'
      readonly ordered: boolean
      readonly start: number
      readonly items: readonly ExportListItem[]
    }
  | { readonly type: 'decision'; readonly text: InlineText }
  | {
      readonly type: 'action'
      readonly text: InlineText
      /** Initials or name as it should be printed; a person id is already resolved. */
      readonly responsible: string
      /** ISO date or empty; `dueText` is the same in the export's language. */
      readonly due: string
      readonly dueText: string
      readonly status: ActionStatus
      readonly checkedBy: string
      readonly checkedAt: string
    }
  | { readonly type: 'party'; readonly label: string; readonly paragraphs: readonly InlineText[] }
  | { readonly type: 'attachment'; readonly name: string; readonly href: string }

/** One person as an export lists them. */
export interface ExportPerson {
  readonly name: string
  readonly initials: string
  readonly party: string
  /** Why they were absent ("sem"); empty for everyone else. */
  readonly reason: string
}

/** A guest, with the agenda item they attended when they came for one item only. */
export interface ExportGuest extends ExportPerson {
  readonly item: { readonly id: string; readonly index: number; readonly title: string } | null
}

/** Who was there. Each list is in the document's order (by name). */
export interface ExportAttendance {
  readonly present: readonly ExportPerson[]
  /** Absent and excused, each with their reason where one was given. */
  readonly absent: readonly ExportPerson[]
  readonly guests: readonly ExportGuest[]
  readonly adjusters: readonly ExportPerson[]
}

/**
 * One appointed adjuster's line of the justering record, where the seeds put "Justeras": who,
 * whether and when they approved, and whether a server verified it (SPEC J3) or the approval
 * was only written by a panel (a meeting without a server).
 */
export interface ExportApproval {
  readonly name: string
  readonly approved: boolean
  /** When they approved, in the export's date style with the time; empty when not approved. */
  readonly atText: string
  readonly verified: boolean
}

/** The header of the minutes, with dates and times already in the export's language. */
export interface ExportHeader {
  readonly title: string
  readonly organisation: string
  readonly group: string
  /** ISO date as stored, for file names. */
  readonly date: string
  readonly dateText: string
  readonly timeText: string
  readonly place: string
  readonly convener: string
  readonly secretary: string
  readonly status: MeetingStatus
}

/** One agenda item, numbered. */
export interface ExportItem {
  readonly id: string
  /** The item's number: its position counted from the header's first number (`firstItemNumber`, 1 by default). */
  readonly index: number
  /** The number as printed before the title: "1." or "§ 1". */
  readonly number: string
  readonly title: string
  readonly kind: AgendaKind
  readonly kindLabel: string
  readonly presenter: string
  /** Guests who came for this item only. */
  readonly guests: readonly ExportGuest[]
  readonly blocks: readonly ExportBlock[]
}

/**
 * A meeting as plain data, language and numbering resolved: what every renderer reads. It
 * holds no Yjs or ProseMirror objects, so renderers are pure functions of it and tests can
 * build one by hand.
 */
export interface ExportModel {
  readonly language: ExportLanguage
  readonly numbering: ExportNumbering
  readonly labels: ExportLabels
  readonly header: ExportHeader
  readonly attendance: ExportAttendance
  readonly items: readonly ExportItem[]
  /** True until the minutes are adjusted: every output then says so. */
  readonly draft: boolean
  /** The appointed adjusters and their approvals of this round, in the attendance's order. */
  readonly justering: readonly ExportApproval[]
}
