import MiniSearch from 'minisearch'
import type * as Y from 'yjs'
import { getMeta, listPeople, readBody } from '../doc'

/**
 * Full-text search over every meeting of a space kept in this browser, offline: titles, agenda
 * items, notes, decisions, actions and people.
 *
 * One search document per agenda item (so a hit opens the meeting at that item) and one per
 * meeting for its header and people. Matching is Swedish-aware: case and diacritics are folded
 * (`ostersund` finds "Östersund", "möte" finds "Möte"), every word of two letters or more is
 * a prefix as you type, and all words must match; what is shown keeps the text as written. The index is kept up to
 * date meeting by meeting (`upsert` replaces one meeting's documents) rather than rebuilt.
 */

/** One hit: the meeting, the agenda item (absent for a hit in the header or people), a snippet. */
export interface SearchHit {
  meetingId: string
  /** The agenda item's id; '' for the meeting's header and people. */
  itemId: string
  meetingTitle: string
  date: string
  /** The agenda item's title ('' for the header). */
  itemTitle: string
  /** Text around the first match, as written; `match` is the matched part within it. */
  snippet: { before: string; match: string; after: string }
  score: number
}

interface SearchDocument {
  id: string
  meetingId: string
  itemId: string
  meetingTitle: string
  date: string
  itemTitle: string
  text: string
}

/** Lower case without diacritics: how both the index and a query are compared. */
export const foldTerm = (term: string): string => term.toLocaleLowerCase('sv').normalize('NFD').replace(/\p{M}/gu, '')

const SNIPPET_CONTEXT = 50

/** Text of the meeting as search documents: one per agenda item, one for the header and people. */
export const meetingDocuments = (meetingId: string, doc: Y.Doc): SearchDocument[] => {
  const meta = getMeta(doc)
  const people = listPeople(doc)
    .map((person) => [person.name, person.initials, person.party].filter((part) => part !== '').join(' '))
    .join('\n')
  const base = { meetingId, meetingTitle: meta.title, date: meta.date }
  const documents: SearchDocument[] = [
    {
      ...base,
      id: `${meetingId}\u0000`,
      itemId: '',
      itemTitle: '',
      text: [meta.group, meta.organisation, meta.place, meta.secretary, meta.convener, people].filter((part) => part !== '').join('\n'),
    },
  ]
  readBody(doc).forEach((item) => {
    const itemId = String(item.attrs.id ?? '')
    if (itemId === '') return
    const lines: string[] = []
    let title = ''
    item.forEach((child, _offset, index) => {
      if (index === 0) title = child.textContent
      else {
        const fields = [child.textContent, String(child.attrs.responsible ?? ''), String(child.attrs.label ?? ''), String(child.attrs.name ?? '')]
        lines.push(fields.filter((field) => field !== '').join(' '))
      }
    })
    if (typeof item.attrs.presenter === 'string' && item.attrs.presenter !== '') lines.unshift(item.attrs.presenter)
    documents.push({ ...base, id: `${meetingId}\u0000${itemId}`, itemId, itemTitle: title, text: lines.join('\n') })
  })
  return documents
}

/** Where the first word of `words` starts in `text`, comparing folded text; -1 when none does. */
const firstMatch = (text: string, words: readonly string[]): { at: number; length: number } => {
  // Folding keeps one character per character here (å → a, é → e), so positions carry over.
  const folded = foldTerm(text)
  let best = { at: -1, length: 0 }
  for (const word of words) {
    // Words hold only letters and digits (see `search`), so they go into the pattern as they are.
    const at = folded.search(new RegExp(`(?<![\\p{L}\\p{N}])${word}`, 'u'))
    if (at >= 0 && (best.at < 0 || at < best.at)) best = { at, length: word.length }
  }
  return best
}

const snippetOf = (document: SearchDocument, words: readonly string[]): SearchHit['snippet'] => {
  for (const text of [document.text, document.itemTitle, document.meetingTitle]) {
    const { at, length } = firstMatch(text, words)
    if (at < 0) continue
    const start = Math.max(0, at - SNIPPET_CONTEXT)
    const end = Math.min(text.length, at + length + SNIPPET_CONTEXT)
    const oneLine = (part: string): string => part.replace(/\s+/g, ' ')
    return {
      before: (start > 0 ? '…' : '') + oneLine(text.slice(start, at)),
      match: text.slice(at, at + length),
      after: oneLine(text.slice(at + length, end)) + (end < text.length ? '…' : ''),
    }
  }
  return { before: document.text.slice(0, SNIPPET_CONTEXT * 2).replace(/\s+/g, ' '), match: '', after: '' }
}

export class MeetingSearchIndex {
  private readonly index = new MiniSearch<SearchDocument>({
    fields: ['meetingTitle', 'itemTitle', 'text'],
    storeFields: ['meetingId', 'itemId', 'meetingTitle', 'date', 'itemTitle', 'text'],
    processTerm: (term) => foldTerm(term),
    // A one-letter word is a prefix of nearly everything: it matches whole words only.
    searchOptions: { prefix: (term) => term.length > 1, combineWith: 'AND', boost: { meetingTitle: 2, itemTitle: 2 } },
  })
  private readonly idsByMeeting = new Map<string, string[]>()

  /** How many meetings are indexed. */
  get meetingCount(): number {
    return this.idsByMeeting.size
  }

  /** Indexes `doc` as meeting `meetingId`, replacing what was indexed for it before. */
  upsert(meetingId: string, doc: Y.Doc): void {
    this.remove(meetingId)
    const documents = meetingDocuments(meetingId, doc)
    this.index.addAll(documents)
    this.idsByMeeting.set(
      meetingId,
      documents.map((document) => document.id),
    )
  }

  remove(meetingId: string): void {
    for (const id of this.idsByMeeting.get(meetingId) ?? []) this.index.discard(id)
    this.idsByMeeting.delete(meetingId)
  }

  /** The hits for what was typed, best first; nothing for a blank query. */
  search(query: string, limit = 20): SearchHit[] {
    const words = query
      .split(/[^\p{L}\p{N}]+/u)
      .map(foldTerm)
      .filter((word) => word !== '')
    // A first letter alone would list most of the space's minutes: wait for the second.
    if (words.length === 0 || words.every((word) => word.length < 2)) return []
    return this.index
      .search(words.join(' '))
      .slice(0, limit)
      .map((result) => {
        const document = result as unknown as SearchDocument & { score: number }
        return {
          meetingId: document.meetingId,
          itemId: document.itemId,
          meetingTitle: document.meetingTitle,
          date: document.date,
          itemTitle: document.itemTitle,
          snippet: snippetOf(document, words),
          score: document.score,
        }
      })
  }
}
