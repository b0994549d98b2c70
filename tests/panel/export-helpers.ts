import { inflateRawSync } from 'node:zlib'
import { buildMeeting, createMeetingDoc, type MeetingDescription } from '../../src/doc'
import type * as Y from 'yjs'

/** A meeting document built from a seed description through the document's own API. */
export const seedDoc = (description: MeetingDescription): Y.Doc => {
  const doc = createMeetingDoc()
  buildMeeting(doc, description)
  return doc
}

/**
 * The files of a zip archive (a .docx is one), read from its central directory. Stored and
 * deflated entries only, which is all `docx` writes; enough for tests, not a general reader.
 */
export const unzip = (bytes: Uint8Array): Map<string, string> => {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  // The end-of-central-directory record sits in the last 22 bytes plus an optional comment.
  let end = data.length - 22
  while (end >= 0 && data.readUInt32LE(end) !== 0x06054b50) end -= 1
  if (end < 0) throw new Error('not a zip archive: no end of central directory')
  const count = data.readUInt16LE(end + 10)
  let entry = data.readUInt32LE(end + 16)
  const files = new Map<string, string>()
  for (let index = 0; index < count; index += 1) {
    if (data.readUInt32LE(entry) !== 0x02014b50) throw new Error(`bad central directory entry ${index}`)
    const method = data.readUInt16LE(entry + 10)
    const compressedSize = data.readUInt32LE(entry + 20)
    const nameLength = data.readUInt16LE(entry + 28)
    const extraLength = data.readUInt16LE(entry + 30)
    const commentLength = data.readUInt16LE(entry + 32)
    const localHeader = data.readUInt32LE(entry + 42)
    const name = data.toString('utf8', entry + 46, entry + 46 + nameLength)
    // The local header repeats name and extra field with lengths of its own.
    const start = localHeader + 30 + data.readUInt16LE(localHeader + 26) + data.readUInt16LE(localHeader + 28)
    const raw = data.subarray(start, start + compressedSize)
    if (method !== 0 && method !== 8) throw new Error(`${name}: compression method ${method} not supported`)
    files.set(name, (method === 8 ? inflateRawSync(raw) : raw).toString('utf8'))
    entry += 46 + nameLength + extraLength + commentLength
  }
  return files
}

/** The text of each `<w:p>` paragraph of WordprocessingML, with its style id ('' for none). */
export const wordParagraphs = (xml: string): Array<{ style: string; text: string }> =>
  [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map(([paragraph]) => ({
    style: /<w:pStyle w:val="([^"]+)"/.exec(paragraph)?.[1] ?? '',
    text: [...paragraph.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((match) => decodeXml(match[1]!)).join(''),
  }))

/** Rows of the first `<w:tbl>`, each a list of cell texts (paragraphs joined by newlines). */
export const wordTableRows = (xml: string): string[][] => {
  const table = /<w:tbl>[\s\S]*<\/w:tbl>/.exec(xml)?.[0] ?? ''
  return [...table.matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)].map(([row]) =>
    [...row.matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map(([cell]) =>
      wordParagraphs(cell)
        .map((paragraph) => paragraph.text)
        .join('\n'),
    ),
  )
}

const decodeXml = (text: string): string =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')

/** The rows of the first Markdown table: cells split on unescaped pipes, trimmed; the delimiter row left out. */
export const markdownTable = (markdown: string): string[][] =>
  markdown
    .split('\n')
    .filter((line) => line.startsWith('| '))
    .map((line) => line.slice(1, -1).split(/(?<!\\)\|/).map((cell) => cell.trim()))
    .filter((cells) => !cells.every((cell) => cell === '---'))

/** The first paragraph under a Markdown `## heading`, or undefined when there is no such section. */
export const markdownSection = (markdown: string, heading: string): string | undefined => {
  const lines = markdown.split('\n')
  const at = lines.indexOf(`## ${heading}`)
  return at < 0 ? undefined : lines.slice(at + 1).find((line) => line.trim() !== '')
}
