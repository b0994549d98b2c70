export { EXPORT_LABELS, EXPORT_LANGUAGES, type ExportLabels, type ExportLanguage } from './labels'
export type {
  ExportAttendance,
  ExportBlock,
  ExportGuest,
  ExportHeader,
  ExportItem,
  ExportLayout,
  ExportListItem,
  ExportModel,
  ExportNumbering,
  ExportDateStyle,
  ExportPerson,
  InlineText,
  TextSpan,
} from './export-model'
export { meetingToExportModel, type ExportModelOptions } from './meeting-to-model'
export { tableRows, type TableRow } from './table-rows'
export { renderMarkdown, type MarkdownOptions } from './render-markdown'
export { renderDocx, type DocxOptions } from './render-docx'
export { renderPrintHtml, type PrintHtmlOptions } from './render-print-html'
export {
  exportMeeting,
  exportFilename,
  type ExportFormat,
  type ExportOptions,
  type ExportedFile,
} from './export-meeting'
export { exportSeries, type SeriesFormat, type SeriesExportOptions } from './export-series'
