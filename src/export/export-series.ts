import { strToU8, zipSync } from 'fflate'
import type * as Y from 'yjs'
import type { ExportedFile, ExportOptions } from './export-meeting'
import { exportFilename } from './export-meeting'
import type { ExportModel } from './export-model'
import { meetingToExportModel } from './meeting-to-model'
import { renderDocxMeetings } from './render-docx'
import { renderMarkdown } from './render-markdown'

/** How a series goes to the records: every meeting as Markdown in one zip, or one Word file. */
export type SeriesFormat = 'markdown-zip' | 'docx'

export interface SeriesExportOptions extends Omit<ExportOptions, 'format'> {
  readonly format: SeriesFormat
  /** Only meetings dated on or after / on or before (ISO dates); '' or absent for no bound. */
  readonly from?: string
  readonly to?: string
  /** The series' name, for the file name ("FLG"). */
  readonly name: string
}

const inRange = (date: string, from = '', to = ''): boolean => (from === '' || date >= from) && (to === '' || (date !== '' && date <= to))

/** A file-name part from the series' name and range: "FLG-2026-01-01-2026-06-30". */
const seriesFilename = (options: SeriesExportOptions, extension: string): string => {
  const name = options.name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9.]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 60) || 'minutes'
  const range = [options.from ?? '', options.to ?? ''].filter((part) => part !== '')
  return `${[name, ...range].join('-')}.${extension}`
}

/**
 * A series (or a date range of it) for the municipality's records, oldest meeting first: a
 * zip with each meeting's Markdown, or one Word document with a section per meeting. Every
 * meeting keeps its own draft mark and justering record. Returns null when no meeting is in
 * the range. Writes nothing to the documents.
 */
export const exportSeries = async (meetings: ReadonlyArray<{ id: string; doc: Y.Doc }>, options: SeriesExportOptions): Promise<ExportedFile | null> => {
  const models: ExportModel[] = meetings
    .map(({ doc }) => meetingToExportModel(doc, { language: options.language, numbering: options.numbering, ...(options.dates !== undefined ? { dates: options.dates } : {}) }))
    .filter((model) => inRange(model.header.date, options.from, options.to))
    .sort((a, b) => a.header.date.localeCompare(b.header.date))
  if (models.length === 0) return null
  if (options.format === 'docx') {
    return {
      filename: seriesFilename(options, 'docx'),
      mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      data: await renderDocxMeetings(models, { layout: options.layout }, options.name),
    }
  }
  const files: Record<string, Uint8Array> = {}
  for (const model of models) {
    const base = exportFilename(model, 'markdown')
    let name = base
    // Two meetings of one day: "FLG-2026-03-11.md", "FLG-2026-03-11-2.md".
    for (let n = 2; name in files; n++) name = base.replace(/\.md$/, `-${n}.md`)
    files[name] = strToU8(renderMarkdown(model, { layout: options.layout }))
  }
  return { filename: seriesFilename(options, 'zip'), mime: 'application/zip', data: zipSync(files, { level: 6 }) }
}
