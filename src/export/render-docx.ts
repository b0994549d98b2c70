import {
  AlignmentType,
  CheckBox,
  Document,
  ExternalHyperlink,
  Footer,
  Header,
  HeadingLevel,
  LevelFormat,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type INumberingOptions,
  type ParagraphChild,
} from 'docx'
import { TextWatermark } from 'docx/watermarks'
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
import { tableRows, type TableRow as ExportTableRow } from './table-rows'

/** How `renderDocx` lays the minutes out. */
export interface DocxOptions {
  readonly layout: ExportLayout
}

// A4 in twips (1/1440 inch), margins of 2 cm.
const PAGE = { width: 11906, height: 16838, margin: 1134 }
const TEXT_WIDTH = PAGE.width - 2 * PAGE.margin
// Rubrik / Anteckning / Åtgärd-Beslut / Ansvarig, in proportion to seed 003's columns.
const COLUMN_WIDTHS = [2100, 3700, 2738, 1100] as const
const INDENT_PER_LEVEL = 360
const ORDERED = 'minutes-ordered'
const HEADING_LEVELS = [HeadingLevel.HEADING_3, HeadingLevel.HEADING_4, HeadingLevel.HEADING_5, HeadingLevel.HEADING_6] as const

interface RunStyle {
  readonly bold?: boolean
  readonly italics?: boolean
}

// A hard break inside a span becomes a run that starts on a new line.
const runs = (text: InlineText, style: RunStyle = {}): TextRun[] =>
  text.flatMap((span) =>
    span.text.split('\n').map(
      (line, index) =>
        new TextRun({
          text: line,
          bold: style.bold === true || span.bold,
          italics: style.italics === true || span.italic,
          ...(index > 0 ? { break: 1 } : {}),
        }),
    ),
  )

const plain = (text: string, style: RunStyle = {}): InlineText => [{ text, bold: style.bold ?? false, italic: style.italics ?? false }]

/** Numbering of ordered lists: each list is its own instance so it restarts at its start. */
class ListNumbering {
  private readonly starts = new Map<number, string>()
  private instances = 0

  reference(start: number): string {
    let reference = this.starts.get(start)
    if (reference === undefined) {
      reference = `${ORDERED}-${start}`
      this.starts.set(start, reference)
    }
    return reference
  }

  nextInstance(): number {
    this.instances += 1
    return this.instances
  }

  options(): INumberingOptions {
    return {
      config: [...this.starts].map(([start, reference]) => ({
        reference,
        levels: Array.from({ length: 6 }, (_, level) => ({
          level,
          format: LevelFormat.DECIMAL,
          text: `%${level + 1}.`,
          start: level === 0 ? start : 1,
          alignment: AlignmentType.START,
          style: { paragraph: { indent: { left: INDENT_PER_LEVEL * (level + 1), hanging: 360 } } },
        })),
      })),
    }
  }
}

interface Context {
  readonly model: ExportModel
  readonly numbering: ListNumbering
}

const attachmentChildren = (block: Extract<ExportBlock, { type: 'attachment' }>, model: ExportModel): ParagraphChild[] => {
  const name = block.name === '' ? block.href : block.name
  const href = safeHref(block.href)
  const label = new TextRun({ text: `${model.labels.attachment}: ` })
  if (href === null) return [label, new TextRun({ text: name })]
  return [label, new ExternalHyperlink({ link: href, children: [new TextRun({ text: name, style: 'Hyperlink' })] })]
}

const actionParagraph = (
  block: Extract<ExportBlock, { type: 'action' }>,
  context: Context,
  depth: number,
  withResponsible: boolean,
): Paragraph => {
  const details = actionDetails(block, context.model, { responsible: withResponsible })
  return new Paragraph({
    indent: depth > 0 ? { left: INDENT_PER_LEVEL * depth } : undefined,
    children: [
      // A real content-control checkbox: Word ticks it with a click.
      new CheckBox({ checked: block.status === 'done', alias: context.model.labels.doneCheckbox }),
      new TextRun({ text: ' ' }),
      ...runs(block.text),
      ...(details === '' ? [] : [new TextRun({ text: ` — ${details}`, italics: true })]),
    ],
  })
}

const blockParagraphs = (
  block: ExportBlock,
  context: Context,
  depth = 0,
  options: { withResponsible: boolean } = { withResponsible: true },
): Paragraph[] => {
  const { labels } = context.model
  const indent = depth > 0 ? { left: INDENT_PER_LEVEL * depth } : undefined
  switch (block.type) {
    case 'paragraph':
      return [new Paragraph({ indent, children: runs(block.text) })]
    case 'heading':
      return [new Paragraph({ heading: HEADING_LEVELS[Math.min(3, block.level - 1)], children: runs(block.text) })]
    case 'list': {
      const instance = block.ordered ? context.numbering.nextInstance() : 0
      const reference = block.ordered ? context.numbering.reference(block.start) : ''
      return block.items.flatMap((item) => [
        new Paragraph({
          children: runs(item.text),
          ...(block.ordered
            ? { numbering: { reference, level: Math.min(5, depth), instance } }
            : { bullet: { level: Math.min(8, depth) } }),
        }),
        ...item.children.flatMap((child) => blockParagraphs(child, context, depth + 1, options)),
      ])
    }
    case 'decision':
      return [new Paragraph({ indent, children: [new TextRun({ text: `${labels.decision}: `, bold: true }), ...runs(block.text)] })]
    case 'action':
      return [actionParagraph(block, context, depth, options.withResponsible)]
    case 'party': {
      const [first, ...rest] = block.paragraphs
      const label = block.label === '' ? [] : [new TextRun({ text: `${block.label}: `, bold: true })]
      return [
        new Paragraph({ indent, children: [...label, ...(first === undefined ? [] : runs(first))] }),
        ...rest.map((paragraph) => new Paragraph({ indent, children: runs(paragraph) })),
      ]
    }
    case 'attachment':
      return [new Paragraph({ indent, children: attachmentChildren(block, context.model) })]
  }
}

const itemMetaParagraphs = (item: ExportItem, model: ExportModel): Paragraph[] => {
  const { labels } = model
  const lines: Paragraph[] = []
  if (item.presenter !== '') lines.push(new Paragraph({ children: [new TextRun({ text: `${labels.presenter}: ${item.presenter}`, italics: true })] }))
  if (item.guests.length > 0) {
    const guests = item.guests.map((guest) => guestLabel({ ...guest, item: null }, model)).join(', ')
    lines.push(new Paragraph({ children: [new TextRun({ text: `${labels.guests}: ${guests}`, italics: true })] }))
  }
  return lines
}

const itemBlocks = (blocks: readonly ExportBlock[], context: Context, withResponsible: boolean): Paragraph[] =>
  blocks.flatMap((block, index) => [
    ...(startsPartyRun(blocks, index)
      ? [new Paragraph({ children: [new TextRun({ text: context.model.labels.partyInput, bold: true })] })]
      : []),
    ...blockParagraphs(block, context, 0, { withResponsible }),
  ])

const proseBody = (context: Context): Array<Paragraph | Table> =>
  context.model.items.flatMap((item, index) => {
    const kindHeading = kindHeadingBefore(context.model.items, index)
    return [
      ...(kindHeading === null ? [] : [new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(kindHeading)] })]),
      new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(itemHeading(item))] }),
      ...itemMetaParagraphs(item, context.model),
      ...itemBlocks(item.blocks, context, true),
    ]
  })

const cell = (children: Paragraph[], width: number, header = false): TableCell =>
  new TableCell({
    width: { size: width, type: WidthType.DXA },
    // Word refuses a cell without a paragraph.
    children: children.length === 0 ? [new Paragraph({})] : children,
    ...(header ? { shading: { type: ShadingType.CLEAR, fill: 'E7E6E6', color: 'auto' } } : {}),
  })

const tableRow = (row: ExportTableRow, context: Context): TableRow => {
  const { item } = row
  const heading = [new Paragraph({ children: [new TextRun({ text: itemHeading(item), bold: true })] }), ...itemMetaParagraphs(item, context.model)]
  const note = itemBlocks(row.note, context, false)
  const outcome = row.outcome.flatMap((block) => blockParagraphs(block, context, 0, { withResponsible: false }))
  const responsible = row.responsible.map((name) => new Paragraph({ children: [new TextRun(name)] }))
  return new TableRow({
    children: [heading, note, outcome, responsible].map((children, column) => cell(children, COLUMN_WIDTHS[column]!)),
  })
}

const tableBody = (context: Context): Table => {
  const { table } = context.model.labels
  const headings = [table.heading, table.note, table.actionDecision, table.responsible]
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [...COLUMN_WIDTHS],
    rows: [
      new TableRow({
        // Repeated at the top of every page the table runs onto.
        tableHeader: true,
        children: headings.map((text, column) =>
          cell([new Paragraph({ children: [new TextRun({ text, bold: true })] })], COLUMN_WIDTHS[column]!, true),
        ),
      }),
      ...tableRows(context.model).map((row) => tableRow(row, context)),
    ],
  })
}

const headParagraphs = (model: ExportModel): Paragraph[] => [
  new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(model.header.title)] }),
  ...(model.draft ? [new Paragraph({ children: [new TextRun({ text: draftMark(model), bold: true, color: 'C00000' })] })] : []),
  ...headerFields(model).map(
    (field) => new Paragraph({ children: [new TextRun({ text: `${field.label}: `, bold: true }), new TextRun(field.value)] }),
  ),
  ...attendanceSections(model).flatMap((section) => [
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(section.heading)] }),
    new Paragraph({ children: runs(plain(section.entries.join(', '))) }),
  ]),
]

const closingParagraphs = (model: ExportModel): Paragraph[] => [
  ...(model.header.secretary === ''
    ? []
    : [
        new Paragraph({
          spacing: { before: 480 },
          children: [new TextRun({ text: `${model.labels.minutesTakenBy}: `, bold: true }), new TextRun(model.header.secretary)],
        }),
      ]),
  // The justering record where the seeds put their signature lines.
  ...justeringLines(model).map((line, index) => {
    const [label = '', rest = ''] = [line.slice(0, line.indexOf(': ') + 2), line.slice(line.indexOf(': ') + 2)]
    return new Paragraph({ spacing: { before: index === 0 ? 240 : 0 }, children: [new TextRun({ text: label, bold: true }), new TextRun(rest)] })
  }),
]

const pageHeader = (model: ExportModel): Header | undefined =>
  model.draft
    ? new Header({
        children: [
          new Paragraph({
            alignment: AlignmentType.RIGHT,
            children: [
              new TextRun({ text: draftMark(model), bold: true, color: 'C00000' }),
              new TextWatermark({ text: model.labels.draft }),
            ],
          }),
        ],
      })
    : undefined

const pageFooter = (model: ExportModel): Footer =>
  new Footer({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [
          new TextRun({ children: [`${model.labels.page} `, PageNumber.CURRENT, ` ${model.labels.pageOf} `, PageNumber.TOTAL_PAGES] }),
        ],
      }),
    ],
  })

/**
 * The minutes as a Word document (.docx bytes): title, draft mark, header fields,
 * attendance, then the items (prose: kind and item headings with numbered titles; table: a
 * four-column table whose heading row repeats on every page), actions as Word checkboxes,
 * the minute-taker's line and the justering record, page numbers in the footer, and for a
 * draft a header line and a watermark on every page.
 */
export const renderDocx = (model: ExportModel, options: DocxOptions): Promise<Uint8Array> => renderDocxMeetings([model], options, model.header.title)

/**
 * Several meetings (a series, a date range) in one Word document for the records: each meeting
 * its own section starting on a new page, with its own draft mark and page header.
 */
export const renderDocxMeetings = async (models: readonly ExportModel[], options: DocxOptions, title: string): Promise<Uint8Array> => {
  const numbering = new ListNumbering()
  const sections = models.map((model) => {
    const context: Context = { model, numbering }
    const body = options.layout === 'table' ? [tableBody(context)] : proseBody(context)
    const header = pageHeader(model)
    return {
      properties: {
        page: {
          size: { width: PAGE.width, height: PAGE.height },
          margin: { top: PAGE.margin, bottom: PAGE.margin, left: PAGE.margin, right: PAGE.margin },
        },
      },
      ...(header === undefined ? {} : { headers: { default: header } }),
      footers: { default: pageFooter(model) },
      children: [...headParagraphs(model), ...body, ...closingParagraphs(model)],
    }
  })
  const locale = models[0]?.labels.locale ?? 'sv-SE'
  const document = new Document({
    title,
    creator: 'Minutes',
    styles: { default: { document: { run: { font: 'Calibri', size: 22, language: { value: locale } } } } },
    // Built after the bodies: they register the lists they number.
    numbering: numbering.options(),
    sections,
  })
  return Packer.pack(document, 'uint8array')
}
