import type { ExportBlock, ExportItem, ExportLayout, ExportListItem, ExportModel } from './export-model'
import { escapeLineStarts, escapeMarkdown, inlineMarkdown } from './markdown-escape'
import {
  actionDetails,
  attendanceSections,
  draftMark,
  guestLabel,
  headerFields,
  itemHeading,
  justeringLines,
  kindHeadingBefore,
  safeHref,
  startsPartyRun,
} from './shared-text'
import { tableRows, type TableRow } from './table-rows'

/** How `renderMarkdown` lays the minutes out. */
export interface MarkdownOptions {
  readonly layout: ExportLayout
}

const BREAK = '\\\n'
const CELL_BREAK = '<br>'

const link = (name: string, href: string): string => {
  const target = safeHref(href)
  const text = escapeMarkdown(name === '' ? href : name)
  return target === null ? text : `[${text}](<${target.replace(/[<>]/g, encodeURIComponent)}>)`
}

const indentLines = (lines: readonly string[], by: string): string[] =>
  lines.map((line) => (line === '' ? '' : by + line))

// ---- prose -------------------------------------------------------------------------------

const listLines = (block: Extract<ExportBlock, { type: 'list' }>, model: ExportModel): string[] => {
  const lines: string[] = []
  block.items.forEach((item: ExportListItem, index) => {
    const marker = block.ordered ? `${block.start + index}.` : '-'
    const [first = '', ...rest] = escapeLineStarts(inlineMarkdown(item.text, BREAK)).split('\n')
    lines.push(`${marker} ${first}`, ...indentLines(rest, ' '.repeat(marker.length + 1)))
    for (const child of item.children) {
      const childLines = blockLines(child, model)
      // A paragraph straight after an item's line would continue the item's own text.
      if (child.type !== 'list' && child.type !== 'action') lines.push('')
      lines.push(...indentLines(childLines, ' '.repeat(marker.length + 1)))
    }
  })
  return lines
}

const blockLines = (block: ExportBlock, model: ExportModel): string[] => {
  const { labels } = model
  switch (block.type) {
    case 'paragraph':
      return escapeLineStarts(inlineMarkdown(block.text, BREAK)).split('\n')
    case 'heading':
      // The item title is `###`; headings inside it go below.
      return [`${'#'.repeat(Math.min(6, 3 + block.level))} ${inlineMarkdown(block.text, ' ')}`]
    case 'list':
      return listLines(block, model)
    case 'decision':
      return `**${labels.decision}:** ${inlineMarkdown(block.text, BREAK)}`.split('\n')
    case 'action': {
      const details = actionDetails(block, model)
      const text = inlineMarkdown(block.text, BREAK)
      const line = `- [${block.status === 'done' ? 'x' : ' '}] ${text}${details === '' ? '' : ` — *${escapeMarkdown(details)}*`}`
      const [first = '', ...rest] = line.split('\n')
      return [first, ...indentLines(rest, '  ')]
    }
    case 'party': {
      const [first, ...rest] = block.paragraphs
      const label = block.label === '' ? '' : `**${escapeMarkdown(block.label)}:** `
      const text = first === undefined ? '' : inlineMarkdown(first, BREAK)
      const lines = [(label === '' ? escapeLineStarts(text) : `${label}${text}`).trimEnd()]
      for (const paragraph of rest) lines.push('', ...escapeLineStarts(inlineMarkdown(paragraph, BREAK)).split('\n'))
      return lines.join('\n').split('\n')
    }
    case 'attachment':
      return [`${labels.attachment}: ${link(block.name, block.href)}`]
  }
}

const itemChunks = (item: ExportItem, model: ExportModel): string[][] => {
  const { labels } = model
  const chunks: string[][] = [[`### ${escapeMarkdown(itemHeading(item))}`]]
  if (item.presenter !== '') chunks.push([`*${labels.presenter}: ${escapeMarkdown(item.presenter)}*`])
  if (item.guests.length > 0) {
    chunks.push([`*${labels.guests}: ${escapeMarkdown(item.guests.map((guest) => guestLabel({ ...guest, item: null }, model)).join(', '))}*`])
  }
  item.blocks.forEach((block, index) => {
    if (startsPartyRun(item.blocks, index)) chunks.push([`**${labels.partyInput}**`])
    const lines = blockLines(block, model)
    // Consecutive actions stay one tight task list.
    const previous = item.blocks[index - 1]
    if (block.type === 'action' && previous?.type === 'action') chunks[chunks.length - 1]!.push(...lines)
    else chunks.push(lines)
  })
  return chunks
}

// ---- table -------------------------------------------------------------------------------

const cellListLines = (block: Extract<ExportBlock, { type: 'list' }>, depth: number, model: ExportModel): string[] =>
  block.items.flatMap((item, index) => {
    const marker = block.ordered ? `${block.start + index}.` : depth === 0 ? '•' : '◦'
    const pad = '&nbsp;&nbsp;&nbsp;'.repeat(depth)
    return [
      `${pad}${marker} ${inlineMarkdown(item.text, CELL_BREAK)}`,
      ...item.children.flatMap((child) =>
        child.type === 'list'
          ? cellListLines(child, depth + 1, model)
          : cellBlockLines(child, model).map((line) => `${pad}&nbsp;&nbsp;&nbsp;${line}`),
      ),
    ]
  })

const cellBlockLines = (block: ExportBlock, model: ExportModel): string[] => {
  const { labels } = model
  switch (block.type) {
    case 'paragraph':
      return [inlineMarkdown(block.text, CELL_BREAK)]
    case 'heading':
      return [`**${inlineMarkdown(block.text, ' ')}**`]
    case 'list':
      return cellListLines(block, 0, model)
    case 'decision':
      return [`**${labels.decision}:** ${inlineMarkdown(block.text, CELL_BREAK)}`]
    case 'action': {
      const details = actionDetails(block, model, { responsible: false })
      const box = block.status === 'done' ? '☑' : '☐'
      return [`${box} ${inlineMarkdown(block.text, CELL_BREAK)}${details === '' ? '' : ` (${escapeMarkdown(details)})`}`]
    }
    case 'party': {
      const label = block.label === '' ? '' : `**${escapeMarkdown(block.label)}:** `
      return [`${label}${block.paragraphs.map((paragraph) => inlineMarkdown(paragraph, CELL_BREAK)).join(CELL_BREAK)}`]
    }
    case 'attachment':
      return [`${labels.attachment}: ${link(block.name, block.href)}`]
  }
}

const cell = (lines: readonly string[]): string => {
  const text = lines.filter((line) => line.trim() !== '').join(CELL_BREAK)
  // A cell holds one line: any newline left (from a link or a label) becomes a break.
  return text.replace(/\n/g, CELL_BREAK)
}

const tableRowLine = (row: TableRow, model: ExportModel): string => {
  const { labels } = model
  const { item } = row
  const heading = [`**${escapeMarkdown(itemHeading(item))}**`]
  if (item.presenter !== '') heading.push(`*${labels.presenter}: ${escapeMarkdown(item.presenter)}*`)
  if (item.guests.length > 0) {
    heading.push(`*${labels.guests}: ${escapeMarkdown(item.guests.map((guest) => guestLabel({ ...guest, item: null }, model)).join(', '))}*`)
  }
  const note = row.note.flatMap((block, index) => [
    ...(startsPartyRun(row.note, index) ? [`*${labels.partyInput}*`] : []),
    ...cellBlockLines(block, model),
  ])
  const outcome = row.outcome.flatMap((block) => cellBlockLines(block, model))
  const responsible = row.responsible.map(escapeMarkdown)
  return `| ${[heading, note, outcome, responsible].map(cell).join(' | ')} |`
}

const tableLines = (model: ExportModel): string[] => {
  const { table } = model.labels
  return [
    `| ${table.heading} | ${table.note} | ${table.actionDecision} | ${table.responsible} |`,
    '| --- | --- | --- | --- |',
    ...tableRows(model).map((row) => tableRowLine(row, model)),
  ]
}

// ---- document ----------------------------------------------------------------------------

/**
 * The minutes as GitHub-flavoured Markdown. `prose`: header, attendance, then each numbered
 * item with its presenter and content, grouped under kind headings, actions as task-list
 * entries. `table`: the same header and attendance, then one table row an item with the
 * columns Rubrik / Anteckning / Åtgärd-Beslut / Ansvarig. Both end with the minute-taker's line.
 */
export const renderMarkdown = (model: ExportModel, options: MarkdownOptions): string => {
  const { labels, header } = model
  const chunks: string[][] = [[`# ${escapeMarkdown(header.title)}`]]
  if (model.draft) chunks.push([`**${draftMark(model)}**`])
  const fields = headerFields(model)
  if (fields.length > 0) chunks.push(fields.map((field) => `- **${field.label}:** ${escapeMarkdown(field.value)}`))
  for (const section of attendanceSections(model)) {
    chunks.push([`## ${section.heading}`], [escapeLineStarts(escapeMarkdown(section.entries.join(', ')))])
  }
  if (options.layout === 'table') {
    chunks.push(tableLines(model))
  } else {
    model.items.forEach((item, index) => {
      const kindHeading = kindHeadingBefore(model.items, index)
      if (kindHeading !== null) chunks.push([`## ${kindHeading}`])
      chunks.push(...itemChunks(item, model))
    })
  }
  const closing = [
    ...(header.secretary !== '' ? [`${labels.minutesTakenBy}: ${escapeMarkdown(header.secretary)}`] : []),
    ...justeringLines(model).map(escapeMarkdown),
  ]
  if (closing.length > 0) chunks.push(['---'], ...closing.map((line) => [line]))
  return `${chunks.map((lines) => lines.join('\n')).join('\n\n')}\n`
}
