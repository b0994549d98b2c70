import type { ExportDateStyle } from './export-model'
import type { ExportLabels } from './labels'

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const TIME = /^(\d{1,2}):(\d{2})$/

/**
 * An ISO date (`2023-02-27`) in the words of the export's language: "27 februari 2023",
 * "27 February 2023". Month names come from the labels rather than `Intl`, so the text is
 * the same in every browser and in Node whatever ICU data it ships. Anything that is not an
 * ISO date (typed by hand in an older client) is returned as it is. With `style` 'iso' the
 * date stays ISO, as seed 003 writes it.
 */
export const formatDate = (iso: string, labels: ExportLabels, style: ExportDateStyle = 'written'): string => {
  const match = ISO_DATE.exec(iso.trim())
  if (match === null || style === 'iso') return iso.trim()
  const [, year, month, day] = match
  const name = labels.months[Number(month) - 1]
  if (name === undefined || Number(day) < 1 || Number(day) > 31) return iso.trim()
  return `${Number(day)} ${name} ${year}`
}

const formatTime = (time: string, labels: ExportLabels): string => {
  const match = TIME.exec(time.trim())
  if (match === null) return time.trim()
  return `${match[1]!.padStart(2, '0')}${labels.timeSeparator}${match[2]}`
}

/** "kl. 09.00–16.00" / "09:00–16:00"; one end alone when the other is empty; empty when both are. */
export const formatTimeSpan = (start: string, end: string, labels: ExportLabels): string => {
  const parts = [start, end].map((time) => formatTime(time, labels)).filter((time) => time !== '')
  if (parts.length === 0) return ''
  const span = parts.join('–')
  return labels.timePrefix === '' ? span : `${labels.timePrefix} ${span}`
}

/**
 * A moment (an ISO timestamp, as approvals record it) as its local date in the export's date
 * style and its local time: "25 september 2023 kl. 12.00", "2023-09-25 12:00". Anything that
 * is not a timestamp is returned as it is.
 */
export const formatDateTime = (timestamp: string, labels: ExportLabels, style: ExportDateStyle = 'written'): string => {
  const at = new Date(timestamp)
  if (timestamp.trim() === '' || Number.isNaN(at.getTime())) return timestamp.trim()
  const two = (n: number): string => String(n).padStart(2, '0')
  const date = formatDate(`${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}`, labels, style)
  const time = formatTime(`${two(at.getHours())}:${two(at.getMinutes())}`, labels)
  return labels.timePrefix === '' ? `${date} ${time}` : `${date} ${labels.timePrefix} ${time}`
}
