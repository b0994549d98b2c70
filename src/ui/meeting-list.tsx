import { useEffect, useId, useState } from 'preact/hooks'
import { formatDate } from './i18n'
import { useI18n } from './i18n-context'
import { matchesMeeting } from './meeting-search'
import type { MeetingSummary, SearchHit } from './panel-services'
import { useStore, type ReadableStore } from './store'

export interface MeetingListProps {
  meetings: ReadableStore<readonly MeetingSummary[]>
  onCreate(): void
  onOpen(id: string): void
  /** Full-text search over the minutes themselves (offline too); absent: titles only. */
  search?: (query: string) => Promise<SearchHit[]>
  /** Opens a meeting at one of its agenda items (a search hit). */
  onOpenAt?: (meetingId: string, itemId: string) => void
}

/** What was typed, searched in the minutes a moment after the typing stops. */
const useMinutesSearch = (search: MeetingListProps['search'], query: string): SearchHit[] | null => {
  const [hits, setHits] = useState<SearchHit[] | null>(null)
  useEffect(() => {
    if (search === undefined || query.trim() === '') return setHits(null)
    let live = true
    const timer = setTimeout(() => {
      void search(query).then(
        (found) => live && setHits(found),
        () => live && setHits([]),
      )
    }, 150)
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [search, query])
  return hits
}

const SearchHits = ({ hits, onOpen }: { hits: SearchHit[]; onOpen(hit: SearchHit): void }) => {
  const { t, language } = useI18n()
  const id = useId()
  return (
    <section class="search-hits" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('search.heading')}</h2>
      <p class="hint" role="status">
        {hits.length === 0 ? t('search.none') : hits.length === 1 ? t('search.one') : t('search.count', { count: String(hits.length) })}
      </p>
      <ul>
        {hits.map((hit) => (
          <li key={`${hit.meetingId} ${hit.itemId}`}>
            <button type="button" class="search-hit" data-meeting-id={hit.meetingId} data-item-id={hit.itemId} onClick={() => onOpen(hit)}>
              <span class="entry-title">
                {hit.meetingTitle === '' ? t('meetings.untitled') : hit.meetingTitle}
                {hit.itemTitle !== '' && ` › ${hit.itemTitle}`}
              </span>
              <span class="meeting-meta">{hit.date === '' ? t('meetings.noDate') : formatDate(language, hit.date)}</span>
              <span class="search-snippet">
                {hit.snippet.before}
                <mark>{hit.snippet.match}</mark>
                {hit.snippet.after}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  )
}

/** The space's meetings: newest first, searchable by title, group or date. */
export const MeetingList = ({ meetings, onCreate, onOpen, search, onOpenAt }: MeetingListProps) => {
  const { t, language } = useI18n()
  const id = useId()
  const all = useStore(meetings)
  const [query, setQuery] = useState('')
  const shown = all.filter((meeting) => matchesMeeting(meeting, query, language))
  const hits = useMinutesSearch(search, query)
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
        <input id={`${id}-search`} type="search" name="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
        {search !== undefined && <p class="hint">{t('search.hint')}</p>}
      </div>
      {all.length === 0 ? (
        <p class="hint">{t('meetings.empty')}</p>
      ) : shown.length === 0 ? (
        (hits === null || hits.length === 0) && <p class="hint">{t('meetings.noMatch', { query: query.trim() })}</p>
      ) : (
        <ul class="meetings">
          {shown.map((meeting) => (
            <li key={meeting.id} data-meeting-id={meeting.id}>
              <button type="button" class="meeting-entry" onClick={() => onOpen(meeting.id)}>
                <span class="entry-title">{meeting.title === '' ? t('meetings.untitled') : meeting.title}</span>
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
      {hits !== null && <SearchHits hits={hits} onOpen={(hit) => (onOpenAt ?? ((meetingId) => onOpen(meetingId)))(hit.meetingId, hit.itemId)} />}
    </section>
  )
}
