import type { InlineText } from './export-model'

// Characters that start emphasis, code, links, HTML or table cells anywhere in a line.
const INLINE_SPECIAL = /[\\`*_[\]<>|~]/g
// Line starts that would turn a paragraph into a heading, list, quote or rule.
const BLOCK_START = /^(\s*)([#+\-=]|\d+(?=[.)]))/gm

/** Escapes user text so Markdown shows it literally inside a line (running text, table cells). */
export const escapeMarkdown = (text: string): string => text.replace(INLINE_SPECIAL, '\\$&')

/**
 * Escapes what would make a line of Markdown start a block ("# ", "- ", "1. "). Only for
 * text that begins a line; after a heading's `#` or in a table cell it is not needed.
 */
export const escapeLineStarts = (markdown: string): string =>
  markdown.replace(BLOCK_START, (_whole, space: string, start: string) =>
    /^\d/.test(start) ? `${space}${start}\\` : `${space}\\${start}`,
  )

/**
 * Inline content as Markdown. `lineBreak` joins the lines of a hard break: a backslash and
 * newline in running text, `<br>` in a table cell, which cannot hold a newline.
 */
export const inlineMarkdown = (text: InlineText, lineBreak: string): string =>
  text
    .map((span) => {
      const escaped = escapeMarkdown(span.text)
      const marker = span.bold && span.italic ? '***' : span.bold ? '**' : span.italic ? '*' : ''
      if (marker === '' || escaped.trim() === '') return escaped
      // Emphasis must hug its text: spaces go outside the markers.
      const match = /^(\s*)([\s\S]*?)(\s*)$/.exec(escaped)!
      return `${match[1]}${marker}${match[2]}${marker}${match[3]}`
    })
    .join('')
    .split('\n')
    .join(lineBreak)
