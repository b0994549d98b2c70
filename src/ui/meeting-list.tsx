import { useId, useState } from 'preact/hooks'
import { formatDate } from './i18n'
import { useI18n } from './i18n-context'
import { matchesMeeting } from './meeting-search'
import type { MeetingSummary } from './panel-services'
import { useStore, type ReadableStore } from './store'

export interface MeetingListProps {
  meetings: ReadableStore<readonly MeetingSummary[]>
  onCreate(): void
  onOpen(id: string): void
}

/** The space's meetings: newest first, searchable by title, group or date. */
export const MeetingList = ({ meetings, onCreate, onOpen }: MeetingListProps) => {
  const { t, language } = useI18n()
  const id = useId()
  const all = useStore(meetings)
  const [query, setQuery] = useState('')
  const shown = all.filter((meeting) => matchesMeeting(meeting, query, language))
  return (
    <section class="meeting-list" aria-labelledby={`${id}-heading`}>
      <div class="section-head">
        <h1 id={`${id}-heading`}>{t('meetings.heading')}</h1>
        <button type="button" class="primary" onClick={onCreate}>
          {t('meetings.new')}
        </button>
      </div>
      <div class="field">
        <label for={`${id}-search`}>{t('meetings.searchLabel')}</label>
        <input id={`${id}-search`} type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
      </div>
      {all.length === 0 ? (
        <p class="hint">{t('meetings.empty')}</p>
      ) : shown.length === 0 ? (
        <p class="hint">{t('meetings.noMatch', { query: query.trim() })}</p>
      ) : (
        <ul class="meetings">
          {shown.map((meeting) => (
            <li key={meeting.id} data-meeting-id={meeting.id}>
              <button type="button" class="meeting-entry" onClick={() => onOpen(meeting.id)}>
                <span class="meeting-title">{meeting.title === '' ? t('meetings.untitled') : meeting.title}</span>
                <span class="meeting-meta">
                  {meeting.date === '' ? t('meetings.noDate') : formatDate(language, meeting.date)}
                  {meeting.group !== '' && ` · ${meeting.group}`}
                  {meeting.localOnly && ` · ${t('meetings.localOnly')}`}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
