import type * as Y from 'yjs'
import type { ExportDateStyle, ExportLayout, ExportModel, ExportNumbering } from './export-model'
import type { ExportLanguage } from './labels'
import { meetingToExportModel } from './meeting-to-model'
import { renderDocx } from './render-docx'
import { renderMarkdown } from './render-markdown'
import { renderPrintHtml } from './render-print-html'

/** The file formats the panel offers. `html` is the print page, opened in a tab and printed to PDF. */
export type ExportFormat = 'markdown' | 'docx' | 'html'

/** Everything an export needs besides the meeting. */
export interface ExportOptions {
  readonly format: ExportFormat
  readonly layout: ExportLayout
  readonly language: ExportLanguage
  readonly numbering: ExportNumbering
  /** Default 'written'. */
  readonly dates?: ExportDateStyle
}

/** A finished export: what to call the file, its media type, and its content. */
export interface ExportedFile {
  readonly filename: string
  readonly mime: string
  /** Text for Markdown and the print page, bytes for DOCX. */
  readonly data: string | Uint8Array
}

const FORMATS: { readonly [F in ExportFormat]: { readonly extension: string; readonly mime: string } } = {
  markdown: { extension: 'md', mime: 'text/markdown;charset=utf-8' },
  docx: { extension: 'docx', mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
  html: { extension: 'html', mime: 'text/html;charset=utf-8' },
}

// Letters with diacritics lose them (å → a), everything else but letters, digits, dot and
// dash becomes one dash: names that every file system and mail client accepts.
const safePart = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9.]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 60)

/**
 * The file name of an export: group and date ("FSG-2023-09-25.docx"), the title when there
 * is no group, "-utkast"/"-draft" for drafts. Only ASCII letters, digits, dots and dashes.
 */
export const exportFilename = (model: ExportModel, format: ExportFormat): string => {
  const { header, labels } = model
  const name = safePart(header.group) || safePart(header.title) || safePart(labels.defaultTitle)
  const date = /^\d{4}-\d{2}-\d{2}$/.test(header.date) ? header.date : ''
  const parts = [name, date, model.draft ? labels.draftFileSuffix : ''].filter((part) => part !== '')
  return `${parts.join('-')}.${FORMATS[format].extension}`
}

/**
 * Exports a meeting in one format and layout: the entry the panel calls. Reads the document
 * once into the export model and renders it; writes nothing to `doc`.
 */
export const exportMeeting = async (doc: Y.Doc, options: ExportOptions): Promise<ExportedFile> => {
  const model = meetingToExportModel(doc, { language: options.language, numbering: options.numbering, ...(options.dates !== undefined ? { dates: options.dates } : {}) })
  const layout = { layout: options.layout }
  const { mime } = FORMATS[options.format]
  const filename = exportFilename(model, options.format)
  switch (options.format) {
    case 'markdown':
      return { filename, mime, data: renderMarkdown(model, layout) }
    case 'docx':
      return { filename, mime, data: await renderDocx(model, layout) }
    case 'html':
      return { filename, mime, data: renderPrintHtml(model, layout) }
  }
}
