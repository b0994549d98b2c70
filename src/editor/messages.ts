/**
 * Strings the editor itself renders (inside the document: labels of agenda items, action
 * checkboxes, party input). The panel's translator covers them once these dictionaries are
 * merged into `src/ui/messages-*.ts`; until then the editor falls back to these.
 */
export const editorMessagesEn = {
  'editor.label': 'Minutes text',
  'editor.kind.decision': 'Decision',
  'editor.kind.information': 'Information',
  'editor.kind.dialog': 'Dialog',
  'editor.kind.brief': 'Brief notes',
  'editor.kind.checkin': 'Check-in',
  'editor.kind.checkout': 'Check-out',
  'editor.presenter': 'Presenter: {name}',
  'editor.kind.label': 'Kind of item',
  'editor.presenter.label': 'Presenter',
  'editor.presenter.placeholder': 'name',
  'editor.action.responsibleLabel': 'Responsible',
  'editor.action.responsiblePlaceholder': 'initials',
  'editor.action.dueLabel': 'Due',
  'editor.action.duePlaceholder': 'YYYY-MM-DD',
  'editor.decisionLabel': 'Decision:',
  'editor.action.checkbox': 'Done: {text}',
  'editor.action.checkboxEmpty': 'Action done',
  'editor.action.responsible': 'Responsible: {name}',
  'editor.action.due': 'Due {date}',
  'editor.action.checkedBy': 'Ticked by {name}',
  'editor.party.label': 'Party',
  'editor.party.placeholder': 'e.g. SSR, Kommunal, Vision',
  'editor.attachment.nameLabel': 'Name of the attachment',
  'editor.attachment.namePlaceholder': 'e.g. Budget follow-up, March',
  'editor.attachment.linkLabel': 'Link to the attachment (optional)',
  'editor.attachment.linkPlaceholder': 'https://…',
  'editor.attachment.open': 'Open',
  'editor.guests.label': 'Guests',
  'editor.guests.add': 'Add a guest for this item',
  'editor.guests.placeholder': '+ guest',
  'editor.guests.remove': 'Remove {name} as a guest',
} as const

export type EditorMessageKey = keyof typeof editorMessagesEn

export const editorMessagesSv: { readonly [K in EditorMessageKey]: string } = {
  'editor.label': 'Protokollets text',
  'editor.kind.decision': 'Beslut',
  'editor.kind.information': 'Information',
  'editor.kind.dialog': 'Dialog',
  'editor.kind.brief': 'Kort, kort',
  'editor.kind.checkin': 'Incheckning',
  'editor.kind.checkout': 'Utcheckning',
  'editor.presenter': 'Föredragande: {name}',
  'editor.kind.label': 'Typ av punkt',
  'editor.presenter.label': 'Föredragande',
  'editor.presenter.placeholder': 'namn',
  'editor.action.responsibleLabel': 'Ansvarig',
  'editor.action.responsiblePlaceholder': 'initialer',
  'editor.action.dueLabel': 'Klart senast',
  'editor.action.duePlaceholder': 'ÅÅÅÅ-MM-DD',
  'editor.decisionLabel': 'Beslut:',
  'editor.action.checkbox': 'Klar: {text}',
  'editor.action.checkboxEmpty': 'Åtgärden klar',
  'editor.action.responsible': 'Ansvarig: {name}',
  'editor.action.due': 'Klart senast {date}',
  'editor.action.checkedBy': 'Avbockad av {name}',
  'editor.party.label': 'Part',
  'editor.party.placeholder': 't.ex. SSR, Kommunal, Vision',
  'editor.attachment.nameLabel': 'Bilagans namn',
  'editor.attachment.namePlaceholder': 't.ex. Budgetuppföljning mars',
  'editor.attachment.linkLabel': 'Länk till bilagan (valfri)',
  'editor.attachment.linkPlaceholder': 'https://…',
  'editor.attachment.open': 'Öppna',
  'editor.guests.label': 'Gäster',
  'editor.guests.add': 'Lägg till en gäst för punkten',
  'editor.guests.placeholder': '+ gäst',
  'editor.guests.remove': 'Ta bort {name} som gäst',
}

/** Both languages, for merging into the panel's dictionaries. */
export const editorMessages = { en: editorMessagesEn, sv: editorMessagesSv } as const

export type EditorTranslate = (key: EditorMessageKey, params?: Readonly<Record<string, string>>) => string

/** A translator over the editor's own dictionaries (the default when the panel passes none). */
export const createEditorTranslator = (language: 'en' | 'sv'): EditorTranslate => {
  const messages = editorMessages[language]
  return (key, params) =>
    messages[key].replace(/\{(\w+)\}/g, (whole, name: string) => params?.[name] ?? whole)
}
