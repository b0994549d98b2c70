import type * as Y from 'yjs'
import { useId, useState } from 'preact/hooks'
import {
  addPerson,
  ATTENDANCES,
  listPeople,
  observePeople,
  removePerson,
  updatePerson,
  type Attendance,
  type Person,
} from '../doc/people'
import { useI18n } from './i18n-context'
import type { MessageKey } from './i18n'
import { useDocValue } from './use-doc-value'

export const ATTENDANCE_LABELS: { readonly [A in Attendance]: MessageKey } = {
  present: 'attendance.present',
  absent: 'attendance.absent',
  guest: 'attendance.guest',
  excused: 'attendance.excused',
}

const PersonEntry = ({ doc, person }: { doc: Y.Doc; person: Person }) => {
  const { t } = useI18n()
  const id = useId()
  const shownName = person.name === '' ? '—' : person.name
  const text = (field: 'name' | 'initials' | 'party' | 'reason' | 'agendaItem', label: MessageKey) => (
    <div class="field">
      <label for={`${id}-${field}`}>{t(label)}</label>
      <input
        id={`${id}-${field}`}
        type="text"
        value={person[field]}
        onInput={(event) => updatePerson(doc, person.id, { [field]: event.currentTarget.value })}
      />
    </div>
  )
  return (
    <li class="person" data-person-id={person.id}>
      <details>
        <summary>
          <span class="person-name">{shownName}</span>
          {person.initials !== '' && <span class="person-initials"> ({person.initials})</span>}
          <span class={`attendance attendance-${person.attendance}`}>{t(ATTENDANCE_LABELS[person.attendance])}</span>
        </summary>
        <div class="field-grid">
          {text('name', 'people.name')}
          {text('initials', 'people.initials')}
          {text('party', 'people.role')}
          <div class="field">
            <label for={`${id}-attendance`}>{t('people.attendance')}</label>
            <select
              id={`${id}-attendance`}
              value={person.attendance}
              onChange={(event) =>
                updatePerson(doc, person.id, { attendance: event.currentTarget.value as Attendance })
              }
            >
              {ATTENDANCES.map((attendance) => (
                <option key={attendance} value={attendance}>
                  {t(ATTENDANCE_LABELS[attendance])}
                </option>
              ))}
            </select>
          </div>
          {(person.attendance === 'absent' || person.attendance === 'excused') && text('reason', 'people.reason')}
          {person.attendance === 'guest' && text('agendaItem', 'people.agendaItem')}
          <div class="field field-check wide">
            <input
              id={`${id}-adjuster`}
              type="checkbox"
              checked={person.adjuster}
              onChange={(event) => updatePerson(doc, person.id, { adjuster: event.currentTarget.checked })}
            />
            <label for={`${id}-adjuster`}>{t('people.adjuster')}</label>
          </div>
        </div>
        <button type="button" class="danger" onClick={() => removePerson(doc, person.id)}>
          {t('people.remove', { name: shownName })}
        </button>
      </details>
    </li>
  )
}

/**
 * Attendance. Every person is their own Y.Map and every field its own key (src/doc/people),
 * so two secretaries editing different people, or different fields, never collide.
 */
export const PeopleList = ({ doc, selfName }: { doc: Y.Doc; selfName: string }) => {
  const { t } = useI18n()
  const id = useId()
  const people = useDocValue(doc, listPeople, (d, listener) => observePeople(d, listener))
  const [newName, setNewName] = useState('')

  const add = (event: Event) => {
    event.preventDefault()
    const name = newName.trim()
    if (name === '') return
    addPerson(doc, { name })
    setNewName('')
  }

  // Checking yourself in: mark the person with your name present, or add them.
  const checkInSelf = () => {
    const existing = people.find((person) => person.name.trim().toLowerCase() === selfName.trim().toLowerCase())
    if (existing === undefined) addPerson(doc, { name: selfName, attendance: 'present' })
    else updatePerson(doc, existing.id, { attendance: 'present' })
  }

  return (
    <section class="people" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>
        {t('people.heading')} <span class="count">({people.length})</span>
      </h2>
      {people.length === 0 ? (
        <p class="hint">{t('people.empty')}</p>
      ) : (
        <ul class="people-list">
          {people.map((person) => (
            <PersonEntry key={person.id} doc={doc} person={person} />
          ))}
        </ul>
      )}
      <form class="add-person" onSubmit={add}>
        <label for={`${id}-new`}>{t('people.newName')}</label>
        <div class="row">
          <input id={`${id}-new`} type="text" value={newName} onInput={(e) => setNewName(e.currentTarget.value)} />
          <button type="submit">{t('people.add')}</button>
        </div>
      </form>
      {selfName.trim() !== '' && (
        <button type="button" onClick={checkInSelf}>
          {t('people.addSelf')}
        </button>
      )}
    </section>
  )
}
