/** The languages an export can be written in. */
export type ExportLanguage = 'sv' | 'en'
export const EXPORT_LANGUAGES: readonly ExportLanguage[] = ['sv', 'en']

type TwelveNames = readonly [string, string, string, string, string, string, string, string, string, string, string, string]

/**
 * Every word an export writes. One interface for both languages, so a label added for one
 * language and forgotten in the other fails to compile instead of printing `undefined`.
 */
export interface ExportLabels {
  readonly locale: string
  /** Title used when the meeting has none. */
  readonly defaultTitle: string
  readonly draft: string
  /** Shown with `draft` when the minutes are not yet adjusted. */
  readonly notAdjusted: string
  readonly organisation: string
  readonly group: string
  readonly date: string
  readonly time: string
  readonly place: string
  readonly convener: string
  readonly secretary: string
  readonly adjusters: string
  readonly present: string
  readonly absent: string
  readonly guests: string
  readonly presenter: string
  readonly decision: string
  readonly responsible: string
  readonly due: string
  readonly done: string
  /** Name of an action's checkbox in Word. */
  readonly doneCheckbox: string
  readonly checkedBy: string
  readonly partyInput: string
  readonly attachment: string
  /** An adjuster's line at the end ("Justeras"), and how an approval is described. */
  readonly adjustedBy: string
  readonly approvedOn: string
  readonly notApprovedYet: string
  readonly verifiedByServer: string
  readonly notVerified: string
  /** The minute-taker's line at the end ("Vid protokollet"). */
  readonly minutesTakenBy: string
  readonly page: string
  readonly pageOf: string
  /** The word before an agenda item number in running text ("punkt 5"). */
  readonly item: string
  /** How a guest's agenda item is introduced ("under punkt 5"). */
  readonly guestFor: string
  readonly kind: {
    readonly decision: string
    readonly information: string
    readonly dialog: string
    readonly brief: string
    readonly checkin: string
    readonly checkout: string
  }
  readonly table: {
    readonly heading: string
    readonly note: string
    readonly actionDecision: string
    readonly responsible: string
  }
  /** What the print page says on screen about printing (hidden when printed). */
  readonly printHint: string
  readonly months: TwelveNames
  /** Separator between hours and minutes ("09.00" in Swedish, "09:00" in English). */
  readonly timeSeparator: string
  /** Word before a time span ("kl."), empty where the language uses none. */
  readonly timePrefix: string
  /** Lower-case word for drafts in file names. */
  readonly draftFileSuffix: string
}

const sv: ExportLabels = {
  locale: 'sv-SE',
  defaultTitle: 'Minnesanteckningar',
  draft: 'UTKAST',
  notAdjusted: 'ej justerat',
  organisation: 'Organisation',
  group: 'Grupp',
  date: 'Datum',
  time: 'Tid',
  place: 'Plats',
  convener: 'Sammankallande',
  secretary: 'Sekreterare',
  adjusters: 'Justerare',
  present: 'Närvarande',
  absent: 'Frånvarande',
  guests: 'Gäster',
  presenter: 'Föredragande',
  decision: 'Beslut',
  responsible: 'Ansvarig',
  due: 'senast',
  done: 'klar',
  doneCheckbox: 'Klar',
  checkedBy: 'avbockad av',
  partyInput: 'Fackliga inspel',
  attachment: 'Bilaga',
  adjustedBy: 'Justeras',
  approvedOn: 'godkänt',
  notApprovedYet: 'ej godkänt än',
  verifiedByServer: 'verifierat av servern',
  notVerified: 'ej verifierat',
  minutesTakenBy: 'Vid protokollet',
  page: 'Sida',
  pageOf: 'av',
  item: 'punkt',
  guestFor: 'under',
  kind: {
    decision: 'Beslut',
    information: 'Information',
    dialog: 'Dialog',
    brief: 'Kort, kort',
    checkin: 'Incheckning',
    checkout: 'Utcheckning',
  },
  table: {
    heading: 'Rubrik',
    note: 'Anteckning',
    actionDecision: 'Åtgärd/Beslut',
    responsible: 'Ansvarig',
  },
  printHint: 'Skriv ut med Ctrl+P (⌘P på Mac) och välj ”Spara som PDF”.',
  months: [
    'januari',
    'februari',
    'mars',
    'april',
    'maj',
    'juni',
    'juli',
    'augusti',
    'september',
    'oktober',
    'november',
    'december',
  ],
  timeSeparator: '.',
  timePrefix: 'kl.',
  draftFileSuffix: 'utkast',
}

const en: ExportLabels = {
  locale: 'en-GB',
  defaultTitle: 'Minutes',
  draft: 'DRAFT',
  notAdjusted: 'not adjusted',
  organisation: 'Organisation',
  group: 'Group',
  date: 'Date',
  time: 'Time',
  place: 'Place',
  convener: 'Convener',
  secretary: 'Secretary',
  adjusters: 'Adjusters',
  present: 'Present',
  absent: 'Absent',
  guests: 'Guests',
  presenter: 'Presenter',
  decision: 'Decision',
  responsible: 'Responsible',
  due: 'due',
  done: 'done',
  doneCheckbox: 'Done',
  checkedBy: 'ticked by',
  partyInput: 'Union input',
  attachment: 'Attachment',
  adjustedBy: 'Adjusted by',
  approvedOn: 'approved',
  notApprovedYet: 'not approved yet',
  verifiedByServer: 'verified by the server',
  notVerified: 'not verified',
  minutesTakenBy: 'Minutes taken by',
  page: 'Page',
  pageOf: 'of',
  item: 'item',
  guestFor: 'for',
  kind: {
    decision: 'Decision',
    information: 'Information',
    dialog: 'Dialogue',
    brief: 'Brief notes',
    checkin: 'Check-in',
    checkout: 'Check-out',
  },
  table: {
    heading: 'Heading',
    note: 'Note',
    actionDecision: 'Action/Decision',
    responsible: 'Responsible',
  },
  printHint: 'Print with Ctrl+P (⌘P on a Mac) and choose “Save as PDF”.',
  months: [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ],
  timeSeparator: ':',
  timePrefix: '',
  draftFileSuffix: 'draft',
}

/** The labels of each export language. */
export const EXPORT_LABELS: { readonly [L in ExportLanguage]: ExportLabels } = { sv, en }
