import type * as Y from 'yjs'
import { useEffect, useId, useRef, useState } from 'preact/hooks'
import { getAdjustment, getMeta, normaliseIsoDate } from '../doc'
import { seriesKeyOf } from '../series'
import { createBrowserExportSink, type ExportSink } from './export-panel'
import { formatDate, type MessageKey } from './i18n'
import { BackNav } from './back-nav'
import { useI18n } from './i18n-context'

type MeetingState = 'draft' | 'final' | 'adjusted'

interface SeriesMeeting {
  id: string
  title: string
  date: string
  state: MeetingState
}

interface Series {
  key: string
  name: string
  meetings: SeriesMeeting[]
}

const STATE_LABELS: Record<MeetingState, MessageKey> = { draft: 'series.stateDraft', final: 'series.stateFinal', adjusted: 'series.stateAdjusted' }

/** The space's meetings grouped by series, oldest first, each with its state (the lock is the server's word). */
export const groupSeries = (meetings: ReadonlyArray<{ id: string; doc: Y.Doc }>): Series[] => {
  const byKey = new Map<string, Series>()
  for (const { id, doc } of meetings) {
    const meta = getMeta(doc)
    const adjustment = getAdjustment(doc)
    const key = seriesKeyOf(id, meta)
    const series = byKey.get(key) ?? { key, name: meta.group.trim() || meta.title.trim(), meetings: [] }
    series.meetings.push({ id, title: meta.title, date: meta.date, state: adjustment.locked ? 'adjusted' : adjustment.final ? 'final' : 'draft' })
    byKey.set(key, series)
  }
  for (const series of byKey.values()) series.meetings.sort((a, b) => a.date.localeCompare(b.date))
  return [...byKey.values()].sort((a, b) => a.name.localeCompare(b.name, 'sv'))
}

const SeriesExport = ({ series, meetings, sink }: { series: Series; meetings: ReadonlyArray<{ id: string; doc: Y.Doc }>; sink: () => ExportSink }) => {
  const { t, language } = useI18n()
  const id = useId()
  const [format, setFormat] = useState<'markdown-zip' | 'docx'>('docx')
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null)
  const [busy, setBusy] = useState(false)
  const invalid = (text: string): boolean => text.trim() !== '' && normaliseIsoDate(text) === null

  const run = async (event: Event): Promise<void> => {
    event.preventDefault()
    if (invalid(from) || invalid(to)) return
    setBusy(true)
    setMessage({ text: t('series.exporting', { count: String(series.meetings.length) }), error: false })
    try {
      const { exportSeries } = await import('../export')
      const ids = new Set(series.meetings.map((meeting) => meeting.id))
      const file = await exportSeries(
        meetings.filter((meeting) => ids.has(meeting.id)),
        { format, layout: 'prose', language, numbering: 'plain', from: normaliseIsoDate(from) ?? '', to: normaliseIsoDate(to) ?? '', name: series.name },
      )
      if (file === null) setMessage({ text: t('series.noneInRange'), error: true })
      else {
        sink().download(file)
        setMessage({ text: t('export.ready', { filename: file.filename }), error: false })
      }
    } catch (error) {
      setMessage({ text: t('export.failed', { error: String(error) }), error: true })
    } finally {
      setBusy(false)
    }
  }

  return (
    <form class="series-export" onSubmit={(event) => void run(event)} noValidate>
      <div class="field-grid">
        <div class="field wide">
          <label for={`${id}-format`}>{t('series.format')}</label>
          <select id={`${id}-format`} name="series-format" value={format} onChange={(event) => setFormat(event.currentTarget.value as 'markdown-zip' | 'docx')}>
            <option value="docx">{t('series.formatDocx')}</option>
            <option value="markdown-zip">{t('series.formatZip')}</option>
          </select>
        </div>
        {(
          [
            ['from', from, setFrom, 'series.from'],
            ['to', to, setTo, 'series.to'],
          ] as const
        ).map(([name, value, set, label]) => (
          <div class="field" key={name}>
            <label for={`${id}-${name}`}>{t(label)}</label>
            <input
              id={`${id}-${name}`}
              name={`series-${name}`}
              type="text"
              inputMode="numeric"
              placeholder={t('meta.datePlaceholder')}
              value={value}
              aria-invalid={invalid(value) ? 'true' : undefined}
              onInput={(event) => set(event.currentTarget.value)}
            />
          </div>
        ))}
      </div>
      <button type="submit" disabled={busy}>
        {t('series.export')}
      </button>
      {message !== null && (
        <p role={message.error ? 'alert' : 'status'} class={message.error ? 'error' : 'hint'}>
          {message.text}
        </p>
      )}
    </form>
  )
}

export interface SeriesViewProps {
  /** Read-only copies of the space's meetings stored in this browser; the view destroys them. */
  load(): Promise<Array<{ id: string; doc: Y.Doc }>>
  onOpenMeeting(id: string): void
  onBack(): void
  sink?: ExportSink
}

/**
 * Series and archive: each series' meetings in date order with their state (draft, final,
 * adjusted), an adjusted one opening read-only as it is locked, and a whole series or a date
 * range of it exported for the records (one Word file, or Markdown files in a zip).
 */
export const SeriesView = ({ load, onOpenMeeting, onBack, sink }: SeriesViewProps) => {
  const { t, language } = useI18n()
  const id = useId()
  const [meetings, setMeetings] = useState<Array<{ id: string; doc: Y.Doc }> | null>(null)
  const ownSink = useRef<(ExportSink & { destroy(): void }) | null>(null)
  useEffect(() => {
    let live = true
    let loaded: Array<{ id: string; doc: Y.Doc }> = []
    void load().then((found) => {
      loaded = found
      if (live) setMeetings(found)
      else for (const meeting of found) meeting.doc.destroy()
    })
    return () => {
      live = false
      for (const meeting of loaded) meeting.doc.destroy()
      ownSink.current?.destroy()
    }
  }, [load])
  const target = (): ExportSink => sink ?? (ownSink.current ??= createBrowserExportSink(window))
  const series = meetings === null ? null : groupSeries(meetings)

  return (
    <main class="screen series-view" aria-labelledby={`${id}-heading`}>
      <BackNav onBack={onBack} />
      <h1 id={`${id}-heading`}>{t('series.heading')}</h1>
      <p class="hint">{t('series.intro')}</p>
      {series === null ? (
        <p>{t('register.loading')}</p>
      ) : series.length === 0 ? (
        <p class="hint">{t('meetings.empty')}</p>
      ) : (
        series.map((one) => (
          <section class="series" key={one.key} data-series={one.key} aria-label={one.name}>
            <h2>{one.name === '' ? t('meetings.untitled') : one.name}</h2>
            <ol class="series-meetings">
              {one.meetings.map((meeting) => (
                <li key={meeting.id} data-meeting-id={meeting.id} data-state={meeting.state}>
                  <button type="button" class="meeting-entry" onClick={() => onOpenMeeting(meeting.id)}>
                    <span class="entry-title">{meeting.title === '' ? t('meetings.untitled') : meeting.title}</span>
                    <span class="meeting-meta">
                      {meeting.date === '' ? t('meetings.noDate') : formatDate(language, meeting.date)} · <span class={`state state-${meeting.state}`}>{t(STATE_LABELS[meeting.state])}</span>
                    </span>
                  </button>
                </li>
              ))}
            </ol>
            <SeriesExport series={one} meetings={meetings ?? []} sink={target} />
          </section>
        ))
      )}
    </main>
  )
}
