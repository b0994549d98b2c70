import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex } from '@noble/hashes/utils.js'
import * as Y from 'yjs'
import { Root } from './roots'

/**
 * What an approval is of (SPEC J4): a SHA-256 over a canonical encoding of everything the
 * minutes say, that is every root of the document except the adjustment's own (`adjustment`,
 * `approvals`) and the header's `status` (draft, final, adjusted: the adjustment's state, not
 * the minutes' content). Any edit of the header, the people (their links and check-ins
 * included), the body or the follow-up changes it; the adjustment's writes never do.
 *
 * The encoding walks Yjs' own structure (map entries and the item list of each type), so the
 * sync server, which knows no meeting schema and holds its roots as untyped Yjs types, gets the
 * same result as a panel: the same Yjs state gives the same hash in every replica and runtime.
 * Text runs are joined (replicas split items differently), deleted items are skipped, map and
 * object keys are sorted, and pending structs (not integrated) are not content.
 */
export const contentHash = (doc: Y.Doc): string =>
  bytesToHex(sha256(new TextEncoder().encode(JSON.stringify([CANONICAL_VERSION, canonicalRoots(doc)]))))

/** Changes whenever the canonical form does, so an old hash never matches a new encoding. */
const CANONICAL_VERSION = 'minutes-content-v1'

const NOT_CONTENT_ROOTS: ReadonlySet<string> = new Set([Root.adjustment, Root.approvals])
const NOT_CONTENT_KEYS: Readonly<Record<string, ReadonlySet<string>>> = { [Root.meta]: new Set(['status']) }

type Canonical = null | boolean | number | string | Canonical[]

const canonicalRoots = (doc: Y.Doc): Canonical[] => {
  const roots: Canonical[] = []
  for (const name of [...doc.share.keys()].sort()) {
    if (NOT_CONTENT_ROOTS.has(name)) continue
    const encoded = canonicalType(doc.share.get(name)!, NOT_CONTENT_KEYS[name])
    // A root one replica merely opened (`doc.getMap`) and another never saw is not content.
    if (encoded.entries.length === 0 && encoded.list.length === 0) continue
    roots.push([name, encoded.entries, encoded.list])
  }
  return roots
}

const canonicalType = (
  type: Y.AbstractType<any>,
  skipKeys: ReadonlySet<string> = new Set(),
): { entries: Canonical[]; list: Canonical[] } => {
  const entries: Canonical[] = []
  for (const key of [...type._map.keys()].sort()) {
    const item = type._map.get(key)!
    if (item.deleted || skipKeys.has(key)) continue
    const values = canonicalContent(item.content)
    entries.push([key, values[values.length - 1] ?? null])
  }
  const list: Canonical[] = []
  let run = ''
  for (let item = type._start; item !== null; item = item.right) {
    if (item.deleted) continue
    if (item.content instanceof Y.ContentString) {
      run += item.content.str
      continue
    }
    if (run !== '') list.push(run)
    run = ''
    list.push(...canonicalContent(item.content))
  }
  if (run !== '') list.push(run)
  return { entries, list }
}

/** A nested type, tagged with its kind (roots are untyped on the server, nested types never are). */
const canonicalNested = (type: Y.AbstractType<any>): Canonical => {
  const { entries, list } = canonicalType(type)
  // Subclasses before their bases: XmlElement extends XmlFragment, XmlText extends Text, XmlHook extends Map.
  if (type instanceof Y.XmlElement) return ['element', type.nodeName, entries, list]
  if (type instanceof Y.XmlFragment) return ['fragment', entries, list]
  if (type instanceof Y.XmlText) return ['xml-text', entries, list]
  if (type instanceof Y.Text) return ['text', entries, list]
  if (type instanceof Y.XmlHook) return ['hook', type.hookName, entries, list]
  if (type instanceof Y.Map) return ['map', entries, list]
  if (type instanceof Y.Array) return ['array', entries, list]
  return ['type', entries, list]
}

const canonicalContent = (content: Y.Item['content']): Canonical[] => {
  if (content instanceof Y.ContentType) return [canonicalNested(content.type as Y.AbstractType<any>)]
  if (content instanceof Y.ContentFormat) return [['format', content.key, canonicalValue(content.value)]]
  if (content instanceof Y.ContentEmbed) return [['embed', canonicalValue(content.embed)]]
  if (content instanceof Y.ContentBinary) return [['bytes', bytesToHex(content.content)]]
  if (content instanceof Y.ContentDoc) return [['doc', content.doc?.guid ?? '']]
  if (content instanceof Y.ContentString) return [content.str]
  if (content instanceof Y.ContentDeleted) return []
  return (content.getContent() as unknown[]).map(canonicalValue)
}

/** A JSON-like value (ContentAny, ContentJSON, embeds, formats) with its object keys sorted. */
const canonicalValue = (value: unknown): Canonical => {
  if (value === null || value === undefined) return null
  if (typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') return value
  if (typeof value === 'bigint') return ['bigint', value.toString()]
  if (value instanceof Uint8Array) return ['bytes', bytesToHex(value)]
  if (Array.isArray(value)) return ['list', value.map(canonicalValue)]
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>
    return ['object', Object.keys(record).sort().map((key) => [key, canonicalValue(record[key])])]
  }
  return null
}
