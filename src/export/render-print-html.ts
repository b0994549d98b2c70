import type { ExportBlock, ExportItem, ExportLayout, ExportModel, InlineText } from './export-model'
import {
  actionDetails,
  attendanceSections,
  draftMark,
  justeringLines,
  guestLabel,
  headerFields,
  itemHeading,
  kindHeadingBefore,
  safeHref,
  startsPartyRun,
} from './shared-text'
import { softHyphenateHtml } from './soft-hyphens'
import { tableRows, type TableRow } from './table-rows'

/** How `renderPrintHtml` lays the minutes out. */
export interface PrintHtmlOptions {
  readonly layout: ExportLayout
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!)

// A CSS string literal for `content:`; a newline would end the declaration.
const cssString = (text: string): string => `"${text.replace(/["\\]/g, '\\$&').replace(/\n/g, ' ')}"`

// "§ 8" is one unit: a line break between sign and number would strand the sign.
const headingHtml = (item: ExportItem): string => escapeHtml(itemHeading(item)).replace(/^§ /, '§&nbsp;')

const inlineHtml = (text: InlineText): string =>
  text
    .map((span) => {
      let html = escapeHtml(span.text).replace(/\n/g, '<br>')
      if (span.italic) html = `<em>${html}</em>`
      if (span.bold) html = `<strong>${html}</strong>`
      return html
    })
    .join('')

const blockHtml = (block: ExportBlock, model: ExportModel, withResponsible: boolean): string => {
  const { labels } = model
  switch (block.type) {
    case 'paragraph':
      return `<p>${inlineHtml(block.text)}</p>`
    case 'heading': {
      const level = Math.min(6, 3 + block.level)
      return `<h${level}>${inlineHtml(block.text)}</h${level}>`
    }
    case 'list': {
      const tag = block.ordered ? 'ol' : 'ul'
      const start = block.ordered && block.start !== 1 ? ` start="${block.start}"` : ''
      const items = block.items
        .map((item) => `<li>${inlineHtml(item.text)}${item.children.map((child) => blockHtml(child, model, withResponsible)).join('')}</li>`)
        .join('')
      return `<${tag}${start}>${items}</${tag}>`
    }
    case 'decision':
      return `<p class="decision"><strong>${escapeHtml(labels.decision)}:</strong> ${inlineHtml(block.text)}</p>`
    case 'action': {
      const done = block.status === 'done'
      const details = actionDetails(block, model, { responsible: withResponsible })
      return (
        `<p class="action${done ? ' done' : ''}"><span class="box" aria-hidden="true">${done ? '☑' : '☐'}</span> ` +
        `${inlineHtml(block.text)}${details === '' ? '' : ` <span class="details">— ${escapeHtml(details)}</span>`}</p>`
      )
    }
    case 'party': {
      const [first, ...rest] = block.paragraphs
      const label = block.label === '' ? '' : `<strong>${escapeHtml(block.label)}:</strong> `
      return (
        `<div class="party"><p>${label}${first === undefined ? '' : inlineHtml(first)}</p>` +
        `${rest.map((paragraph) => `<p>${inlineHtml(paragraph)}</p>`).join('')}</div>`
      )
    }
    case 'attachment': {
      const name = escapeHtml(block.name === '' ? block.href : block.name)
      const href = safeHref(block.href)
      const target = href === null ? name : `<a href="${escapeHtml(href)}">${name}</a>`
      return `<p class="attachment">${escapeHtml(labels.attachment)}: ${target}</p>`
    }
  }
}

const blocksHtml = (blocks: readonly ExportBlock[], model: ExportModel, withResponsible: boolean): string =>
  blocks
    .map(
      (block, index) =>
        (startsPartyRun(blocks, index) ? `<p class="party-heading">${escapeHtml(model.labels.partyInput)}</p>` : '') +
        blockHtml(block, model, withResponsible),
    )
    .join('\n')

const itemMetaHtml = (item: ExportItem, model: ExportModel): string => {
  const { labels } = model
  const lines: string[] = []
  if (item.presenter !== '') lines.push(`<p class="presenter">${escapeHtml(`${labels.presenter}: ${item.presenter}`)}</p>`)
  if (item.guests.length > 0) {
    const guests = item.guests.map((guest) => guestLabel({ ...guest, item: null }, model)).join(', ')
    lines.push(`<p class="guests">${escapeHtml(`${labels.guests}: ${guests}`)}</p>`)
  }
  return lines.join('\n')
}

const proseHtml = (model: ExportModel): string =>
  model.items
    .map((item, index) => {
      const kindHeading = kindHeadingBefore(model.items, index)
      return [
        kindHeading === null ? '' : `<h2 class="kind">${escapeHtml(kindHeading)}</h2>`,
        `<section class="item" data-kind="${escapeHtml(item.kind)}">`,
        `<h3>${headingHtml(item)}</h3>`,
        itemMetaHtml(item, model),
        blocksHtml(item.blocks, model, true),
        '</section>',
      ]
        .filter((part) => part !== '')
        .join('\n')
    })
    .join('\n')

const tableRowHtml = (row: TableRow, model: ExportModel): string => {
  const heading = `<p class="item-title">${headingHtml(row.item)}</p>${itemMetaHtml(row.item, model)}`
  const note = blocksHtml(row.note, model, false)
  const outcome = row.outcome.map((block) => blockHtml(block, model, false)).join('')
  const responsible = row.responsible.map((name) => `<p>${escapeHtml(name)}</p>`).join('')
  // Narrow columns: long words get break points with a hyphen (see soft-hyphens.ts).
  return `<tr>${[heading, note, outcome, responsible].map((cell) => `<td>${softHyphenateHtml(cell)}</td>`).join('')}</tr>`
}

const tableHtml = (model: ExportModel): string => {
  const { table } = model.labels
  const headings = [table.heading, table.note, table.actionDecision, table.responsible]
  return [
    '<table class="minutes-table">',
    // colgroup widths follow seed 003: a narrow responsible column.
    '<colgroup><col style="width:23%"><col style="width:35%"><col style="width:27%"><col style="width:15%"></colgroup>',
    `<thead><tr>${headings.map((text) => `<th scope="col">${escapeHtml(text)}</th>`).join('')}</tr></thead>`,
    `<tbody>${tableRows(model).map((row) => tableRowHtml(row, model)).join('\n')}</tbody>`,
    '</table>',
  ].join('\n')
}

const styles = (model: ExportModel): string => {
  const { labels } = model
  const pageCounter = `${cssString(`${labels.page} `)} counter(page) ${cssString(` ${labels.pageOf} `)} counter(pages)`
  return `
@page {
  size: A4;
  margin: 20mm 18mm 22mm 18mm;
  @bottom-center { content: ${pageCounter}; font: 9pt "Liberation Sans", Arial, sans-serif; color: #444; }
  ${model.draft ? `@top-right { content: ${cssString(draftMark(model))}; font: bold 9pt "Liberation Sans", Arial, sans-serif; color: #c00000; }` : ''}
}
:root { color: #111; background: #fff; }
body { font: 11pt/1.4 "Liberation Sans", Calibri, Arial, sans-serif; max-width: 174mm; margin: 0 auto; padding: 12mm 0; }
h1 { font-size: 20pt; margin: 0 0 4mm; }
h2 { font-size: 14pt; margin: 7mm 0 2mm; break-after: avoid; }
h3 { font-size: 12pt; margin: 5mm 0 1.5mm; break-after: avoid; }
h4, h5, h6 { font-size: 11pt; margin: 3mm 0 1mm; break-after: avoid; }
p { margin: 0 0 2mm; }
ul, ol { margin: 0 0 2mm; padding-left: 7mm; }
.draft-mark { color: #c00000; font-weight: bold; letter-spacing: 0.05em; }
.fields { display: grid; grid-template-columns: max-content 1fr; gap: 0.5mm 4mm; margin: 0 0 4mm; }
.fields dt { font-weight: bold; }
.fields dd { margin: 0; }
.presenter, .guests { font-style: italic; }
.party-heading { font-weight: bold; margin-top: 3mm; }
.action .box { font-family: "DejaVu Sans", "Segoe UI Symbol", sans-serif; }
.action .details { font-style: italic; }
.closing { margin-top: 10mm; }
.minutes-table { width: 100%; border-collapse: collapse; table-layout: fixed; font-size: 10pt; }
.minutes-table th, .minutes-table td { border: 0.4pt solid #777; padding: 1.5mm 2mm; vertical-align: top; text-align: left; overflow-wrap: break-word; }
.minutes-table thead { display: table-header-group; }
.minutes-table th { background: #e7e6e6; overflow-wrap: normal; }
.minutes-table .item-title { font-weight: bold; }
.minutes-table ul, .minutes-table ol { padding-left: 4mm; }
@media screen {
  body { padding: 12mm 16mm; box-shadow: 0 0 4mm rgba(0, 0, 0, 0.15); margin: 8mm auto; }
  .print-hint { background: #fff8d6; border: 1px solid #e0c96b; padding: 2mm 3mm; }
}
@media print { .print-hint { display: none; } }
`
}

/**
 * The minutes as one standalone HTML page for printing to PDF from a browser tab: A4 page
 * rules with the page number ("Sida 2 av 3") in the bottom margin box, and for a draft a
 * mark at the top of the first page and in every page's top margin. No scripts and no
 * external resources, so it opens the same from a blob URL or a file. On screen it shows a
 * hint to print; the hint is not printed.
 */
export const renderPrintHtml = (model: ExportModel, options: PrintHtmlOptions): string => {
  const { labels, header } = model
  const fields = headerFields(model)
    .map((field) => `<dt>${escapeHtml(field.label)}</dt><dd>${escapeHtml(field.value)}</dd>`)
    .join('')
  const attendance = attendanceSections(model)
    .map((section) => `<section class="attendance"><h2>${escapeHtml(section.heading)}</h2><p>${escapeHtml(section.entries.join(', '))}</p></section>`)
    .join('\n')
  const body = options.layout === 'table' ? tableHtml(model) : proseHtml(model)
  const closingLines = [
    ...(header.secretary === '' ? [] : [`<p><strong>${escapeHtml(labels.minutesTakenBy)}:</strong> ${escapeHtml(header.secretary)}</p>`]),
    // The justering record where the seeds put their signature lines.
    ...justeringLines(model).map((line) => {
      const at = line.indexOf(': ') + 2
      return `<p class="justering"><strong>${escapeHtml(line.slice(0, at))}</strong>${escapeHtml(line.slice(at))}</p>`
    }),
  ]
  const closing = closingLines.length === 0 ? '' : `<footer class="closing">${closingLines.join('')}</footer>`
  return `<!doctype html>
<html lang="${model.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml([header.title, header.group, header.date].filter((part) => part !== '').join(' – '))}</title>
<style>${styles(model)}</style>
</head>
<body class="layout-${options.layout}${model.draft ? ' draft' : ''}">
<p class="print-hint">${escapeHtml(labels.printHint)}</p>
<header>
${model.draft ? `<p class="draft-mark">${escapeHtml(draftMark(model))}</p>` : ''}
<h1>${escapeHtml(header.title)}</h1>
${fields === '' ? '' : `<dl class="fields">${fields}</dl>`}
${attendance}
</header>
<main>
${body}
</main>
${closing}
</body>
</html>
`
}
