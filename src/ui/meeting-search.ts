import { formatDate, type Language } from './i18n'
import type { MeetingSummary } from './panel-services'

/**
 * Does a meeting match what was typed in the search field? By title or group, and by date
 * written either as stored (`2023-02-27`, `2023-02`) or as shown (`27 feb`).
 */
export const matchesMeeting = (meeting: MeetingSummary, query: string, language: Language): boolean => {
  const needle = query.trim().toLocaleLowerCase(language)
  if (needle === '') return true
  const haystack = [meeting.title, meeting.group, meeting.date, meeting.date === '' ? '' : formatDate(language, meeting.date)]
    .join('\n')
    .toLocaleLowerCase(language)
  return needle.split(/\s+/).every((word) => haystack.includes(word))
}
