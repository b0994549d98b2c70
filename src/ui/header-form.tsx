import type * as Y from 'yjs'
import { useId, useState } from 'preact/hooks'
import { normaliseIsoDate, normaliseTime } from '../doc/dates'
import { getMeta, observeMeta, setMetaField, type MeetingStatus } from '../doc/meta'
import { useI18n } from './i18n-context'
import type { MessageKey } from './i18n'
import { useDocValue } from './use-doc-value'

type TextField = 'title' | 'organisation' | 'group' | 'date' | 'start' | 'end' | 'place' | 'convener' | 'secretary' | 'firstNumber'

const FIELDS: ReadonlyArray<{ field: TextField; label: MessageKey; type: 'text' | 'date' | 'time' | 'number'; wide?: boolean }> = [
  { field: 'organisation', label: 'meta.organisation', type: 'text' },
  { field: 'group', label: 'meta.group', type: 'text' },
  { field: 'date', label: 'meta.date', type: 'date' },
  { field: 'start', label: 'meta.start', type: 'time' },
  { field: 'end', label: 'meta.end', type: 'time' },
  { field: 'place', label: 'meta.place', type: 'text' },
  { field: 'convener', label: 'meta.convener', type: 'text' },
  { field: 'secretary', label: 'meta.secretary', type: 'text' },
  // Municipal minutes number their paragraphs on through the year (§ 34, § 35 …).
  { field: 'firstNumber', label: 'meta.firstNumber', type: 'number' },
]

/** What a typed value becomes when the field is left, or null when it is not one. */
const normalise = (type: 'date' | 'time' | 'number', typed: string): string | null => {
  if (type === 'date') return normaliseIsoDate(typed)
  if (type === 'time') return normaliseTime(typed)
  const digits = typed.trim()
  if (digits === '') return ''
  return /^\d{1,4}$/.test(digits) && Number(digits) >= 1 ? String(Number(digits)) : null
}

const STATUS_LABELS: { readonly [S in MeetingStatus]: MessageKey } = {
  draft: 'meetingStatus.draft',
  final: 'meetingStatus.final',
  adjusted: 'meetingStatus.adjusted',
}

/**
 * The meeting's header (its title is edited on top of the meeting view). Each input writes its own key of the `meta` map, so two people
 * filling in different fields at once never overwrite each other.
 */
export const HeaderForm = ({ doc }: { doc: Y.Doc }) => {
  const { t } = useI18n()
  const id = useId()
  const meta = useDocValue(doc, getMeta, (d, listener) => observeMeta(d, listener))
  const [invalid, setInvalid] = useState<ReadonlySet<TextField>>(new Set())
  return (
    <section class="header-form" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('meeting.headerHeading')}</h2>
      <div class="field-grid">
        {FIELDS.map(({ field, label, type, wide }) => (
          <div class={`field${wide === true ? ' wide' : ''}`} key={field}>
            <label for={`${id}-${field}`}>{t(label)}</label>
            <input
              id={`${id}-${field}`}
              name={field}
              // Dates and times are text in the minutes' own form (ISO, 24-hour), not the
              // browser's pickers, which follow the operating system's locale ("AM" in a Swedish panel).
              type="text"
              inputMode={type === 'text' ? undefined : 'numeric'}
              placeholder={
                type === 'date' ? t('meta.datePlaceholder') : type === 'time' ? t('meta.timePlaceholder') : type === 'number' ? '1' : undefined
              }
              aria-invalid={invalid.has(field) ? 'true' : undefined}
              value={meta[field]}
              onInput={(event) => setMetaField(doc, field, event.currentTarget.value)}
              onChange={(event) => {
                if (type === 'text') return
                const typed = event.currentTarget.value
                const normal = normalise(type, typed)
                setInvalid((current) => {
                  const next = new Set(current)
                  if (normal === null) next.add(field)
                  else next.delete(field)
                  return next
                })
                if (normal !== null && normal !== typed) setMetaField(doc, field, normal)
              }}
            />
          </div>
        ))}
        {/* The state is the adjustment's to change (mark final, approvals, lock): shown, not edited here. */}
        <p class="field wide meeting-status" data-status={meta.status}>
          <span>
            {t('meta.status')}: <strong>{t(STATUS_LABELS[meta.status])}</strong>
          </span>
        </p>
      </div>
    </section>
  )
}
