import type { Node as PMNode } from 'prosemirror-model'
import type * as Y from 'yjs'
import { loadAdjustedVersion } from './adjustment'
import { getBody, readBody } from './meeting-doc'
import { getMeta, META_FIELDS } from './meta'
import { listPeople } from './people'

/**
 * What changed since the adjusted version: per agenda item, the lines added and removed, for
 * the panel to show after a reopening. Both versions are rendered to plain text lines (one a
 * paragraph, list entry, decision or action) and compared line by line; a change inside a
 * line shows as the old line removed and the new one added, which is how a reader compares
 * minutes anyway.
 */
export interface DiffLine {
  kind: 'same' | 'added' | 'removed'
  text: string
}

export interface SectionDiff {
  /** An agenda item's id, or `header` for the header and the people. */
  id: string
  /** The item's title (the current one, or the adjusted one for a removed item). */
  title: string
  change: 'added' | 'removed' | 'changed'
  lines: DiffLine[]
}

/** Words the plain text uses for what the editor draws (decision label, action box). */
export interface DiffWords {
  decision: string
  header: string
}

const DEFAULT_WORDS: DiffWords = { decision: 'Beslut:', header: 'Header and attendance' }

// Not text a reader compares: the state itself, and ids.
const NOT_SHOWN: readonly string[] = ['status', 'series', 'secretaryMemberId']

interface Section {
  id: string
  title: string
  lines: string[]
}

const blockLines = (node: PMNode, words: DiffWords, indent: string, out: string[]): void => {
  switch (node.type.name) {
    case 'paragraph':
    case 'heading':
      if (node.textContent.trim() !== '') out.push(indent + node.textContent)
      return
    case 'decision':
      out.push(`${indent}${words.decision} ${node.textContent}`)
      return
    case 'action_item': {
      const attrs = node.attrs
      const details = [String(attrs.responsible ?? ''), String(attrs.due ?? '')].filter((part) => part !== '')
      const box = attrs.status === 'done' ? '[x]' : '[ ]'
      out.push(`${indent}${box} ${node.textContent}${details.length > 0 ? ` (${details.join(', ')})` : ''}`)
      return
    }
    case 'party_input':
      out.push(`${indent}${String(node.attrs.label ?? '')}:`)
      node.forEach((child) => blockLines(child, words, `${indent}  `, out))
      return
    case 'attachment':
      out.push(`${indent}[${String(node.attrs.name ?? '')}]`)
      return
    case 'bullet_list':
    case 'ordered_list':
      node.forEach((item) => {
        item.forEach((child, _offset, index) => {
          if (index === 0 && child.type.name === 'paragraph') out.push(`${indent}- ${child.textContent}`)
          else blockLines(child, words, `${indent}  `, out)
        })
      })
      return
    default:
      if (node.textContent.trim() !== '') out.push(indent + node.textContent)
  }
}

const sectionsOf = (doc: Y.Doc, words: DiffWords): Section[] => {
  const meta = getMeta(doc)
  const header: Section = {
    id: 'header',
    title: words.header,
    lines: [
      ...META_FIELDS.filter((field) => !NOT_SHOWN.includes(field) && meta[field] !== '').map((field) => `${field}: ${meta[field]}`),
      ...listPeople(doc).map((person) =>
        [
          person.name,
          person.initials === '' ? '' : `(${person.initials})`,
          person.attendance,
          person.reason === '' ? '' : `(${person.reason})`,
          person.adjuster ? '✓' : '',
        ]
          .filter((part) => part !== '')
          .join(' '),
      ),
    ],
  }
  const sections = [header]
  if (getBody(doc).length === 0) return sections
  readBody(doc).forEach((item, _offset, index) => {
    const lines: string[] = []
    const title = item.firstChild?.textContent ?? ''
    const presenter = String(item.attrs.presenter ?? '')
    if (presenter !== '') lines.push(`— ${presenter}`)
    item.forEach((child, _o, childIndex) => {
      if (childIndex > 0) blockLines(child, words, '', lines)
    })
    sections.push({ id: String(item.attrs.id ?? `#${index}`), title, lines: [title, ...lines] })
  })
  return sections
}

/** A line diff by longest common subsequence: sections of minutes are short. */
export const diffLines = (before: readonly string[], after: readonly string[]): DiffLine[] => {
  const n = before.length
  const m = after.length
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0))
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = before[i] === after[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!)
    }
  }
  const out: DiffLine[] = []
  let i = 0
  let j = 0
  while (i < n || j < m) {
    if (i < n && j < m && before[i] === after[j]) {
      out.push({ kind: 'same', text: before[i]! })
      i++
      j++
    } else if (i < n && (j === m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      // Removed before added: the old line reads first, as in any diff.
      out.push({ kind: 'removed', text: before[i]! })
      i++
    } else {
      out.push({ kind: 'added', text: after[j]! })
      j++
    }
  }
  return out
}

/** The sections that differ between `adjusted` and `current`, in the current order (removed ones last). */
export const diffVersions = (adjusted: Y.Doc, current: Y.Doc, words: Partial<DiffWords> = {}): SectionDiff[] => {
  const allWords = { ...DEFAULT_WORDS, ...words }
  const before = sectionsOf(adjusted, allWords)
  const after = sectionsOf(current, allWords)
  const beforeById = new Map(before.map((section) => [section.id, section]))
  const afterIds = new Set(after.map((section) => section.id))
  const diffs: SectionDiff[] = []
  for (const section of after) {
    const old = beforeById.get(section.id)
    if (old === undefined) {
      diffs.push({ id: section.id, title: section.title, change: 'added', lines: section.lines.map((text) => ({ kind: 'added', text })) })
      continue
    }
    const lines = diffLines(old.lines, section.lines)
    if (lines.some((line) => line.kind !== 'same')) diffs.push({ id: section.id, title: section.title, change: 'changed', lines })
  }
  for (const section of before) {
    if (afterIds.has(section.id)) continue
    diffs.push({ id: section.id, title: section.title, change: 'removed', lines: section.lines.map((text) => ({ kind: 'removed', text })) })
  }
  return diffs
}

/** What changed in `doc` since it was adjusted; null when it was never adjusted. */
export const changesSinceAdjusted = (doc: Y.Doc, words: Partial<DiffWords> = {}): SectionDiff[] | null => {
  const adjusted = loadAdjustedVersion(doc)
  if (adjusted === null) return null
  try {
    return diffVersions(adjusted, doc, words)
  } finally {
    adjusted.destroy()
  }
}
