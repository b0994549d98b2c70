import type * as Y from 'yjs'
import { useId, useState } from 'preact/hooks'
import {
  addPastedPeople,
  addGuest,
  addPerson,
  ATTENDANCES,
  checkIn,
  checkInByName,
  findSelf,
  linkPersonToMember,
  findPersonByName,
  hasMeetingRole,
  listAgendaItems,
  listAttendance,
  observePeople,
  removePerson,
  setMeetingRole,
  undoCheckIn,
  updatePerson,
  type AgendaItemRef,
  type Attendance,
  type AttendanceEntry,
  type MeetingRole,
  getBody,
  getMetaMap,
} from '../doc'
import { useI18n } from './i18n-context'
import type { MessageKey, Translate } from './i18n'
import type { PresencePeer } from './panel-services'
import { useStore, type ReadableStore } from './store'
import { useDocValue } from './use-doc-value'

export const ATTENDANCE_LABELS: { readonly [A in Attendance]: MessageKey } = {
  present: 'attendance.present',
  absent: 'attendance.absent',
  guest: 'attendance.guest',
  excused: 'attendance.excused',
}

const ROLE_LABELS: { readonly [R in MeetingRole]: MessageKey } = {
  secretary: 'attendance.secretary',
  convener: 'attendance.convener',
}

// The people, and the header (secretary and convener are names in `meta`).
const observeAttendance = (doc: Y.Doc, listener: () => void): (() => void) => {
  const stopPeople = observePeople(doc, listener)
  const meta = getMetaMap(doc)
  meta.observe(listener)
  return () => {
    stopPeople()
    meta.unobserve(listener)
  }
}

const observeBody = (doc: Y.Doc, listener: () => void): (() => void) => {
  const body = getBody(doc)
  body.observeDeep(listener)
  return () => body.unobserveDeep(listener)
}

const itemLabel = (t: Translate, items: readonly AgendaItemRef[], id: string): string => {
  const index = items.findIndex((item) => item.id === id)
  if (index < 0) return ''
  return items[index]!.title || t('attendance.untitledItem', { number: index + 1 })
}

interface EntryProps {
  doc: Y.Doc
  person: AttendanceEntry
  items: readonly AgendaItemRef[]
  now: () => Date
}

const PersonEntry = ({ doc, person, items, now }: EntryProps) => {
  const { t } = useI18n()
  const id = useId()
  const shownName = person.name === '' ? '—' : person.name
  const checkedIn = person.checkedInAt !== ''
  const roles = (['secretary', 'convener'] as const).filter((role) => hasMeetingRole(doc, role, person))
  const text = (field: 'name' | 'initials' | 'party' | 'reason', label: MessageKey) => (
    <div class="field">
      <label for={`${id}-${field}`}>{t(label)}</label>
      <input
        id={`${id}-${field}`}
        name={field}
        type="text"
        value={person[field]}
        onInput={(event) => updatePerson(doc, person.id, { [field]: event.currentTarget.value })}
      />
    </div>
  )
  return (
    <li class="person" data-person-id={person.id} data-checked-in={checkedIn ? 'true' : 'false'}>
      <details>
        <summary>
          <span class="person-name">{shownName}</span>
          {person.initials !== '' && <span class="person-initials"> ({person.initials})</span>}
          <span class={`attendance attendance-${person.attendance}`}>{t(ATTENDANCE_LABELS[person.attendance])}</span>
          {person.reason !== '' && person.attendance !== 'present' && <span class="reason"> ({person.reason})</span>}
          {person.attendance === 'guest' && person.agendaItem !== '' && (
            <span class="guest-item"> {t('attendance.guestUnder', { item: itemLabel(t, items, person.agendaItem) })}</span>
          )}
          {checkedIn && <span class="badge checked-in">✓ {t('attendance.checkedIn')}</span>}
          {roles.map((role) => (
            <span key={role} class={`badge role-${role}`}>
              {t(ROLE_LABELS[role])}
            </span>
          ))}
          {person.adjuster && <span class="badge adjuster">{t('attendance.adjusterBadge')}</span>}
        </summary>
        <div class="field-grid">
          {text('name', 'people.name')}
          {text('initials', 'people.initials')}
          {text('party', 'people.role')}
          <div class="field">
            <label for={`${id}-attendance`}>{t('people.attendance')}</label>
            <select
              id={`${id}-attendance`}
              name="attendance"
              value={person.attendance}
              onChange={(event) => updatePerson(doc, person.id, { attendance: event.currentTarget.value as Attendance })}
            >
              {ATTENDANCES.map((attendance) => (
                <option key={attendance} value={attendance}>
                  {t(ATTENDANCE_LABELS[attendance])}
                </option>
              ))}
            </select>
          </div>
          {(person.attendance === 'absent' || person.attendance === 'excused') && text('reason', 'people.reason')}
          {person.attendance === 'guest' && (
            <div class="field">
              <label for={`${id}-item`}>{t('people.agendaItem')}</label>
              <select
                id={`${id}-item`}
                name="agendaItem"
                value={person.agendaItem}
                onChange={(event) => updatePerson(doc, person.id, { agendaItem: event.currentTarget.value })}
              >
                <option value="">{t('attendance.wholeMeeting')}</option>
                {items.map((item, index) => (
                  <option key={item.id} value={item.id}>
                    {item.title || t('attendance.untitledItem', { number: index + 1 })}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div class="field field-check wide">
            <input
              id={`${id}-adjuster`}
              name="adjuster"
              type="checkbox"
              checked={person.adjuster}
              onChange={(event) => updatePerson(doc, person.id, { adjuster: event.currentTarget.checked })}
            />
            <label for={`${id}-adjuster`}>{t('people.adjuster')}</label>
          </div>
          {(['secretary', 'convener'] as const).map((role) => (
            <div class="field field-check" key={role}>
              <input
                id={`${id}-${role}`}
                name={role}
                type="checkbox"
                checked={roles.includes(role)}
                onChange={(event) => setMeetingRole(doc, role, event.currentTarget.checked ? person : null)}
              />
              <label for={`${id}-${role}`}>{t(ROLE_LABELS[role])}</label>
            </div>
          ))}
        </div>
        <div class="row">
          {checkedIn ? (
            <button type="button" class="link" onClick={() => undoCheckIn(doc, person.id)}>
              {t('attendance.undoCheckIn', { name: shownName })}
            </button>
          ) : (
            <button type="button" class="check-in" onClick={() => checkIn(doc, person.id, now())}>
              {t('attendance.checkIn', { name: shownName })}
            </button>
          )}
          <button type="button" class="danger" onClick={() => removePerson(doc, person.id)}>
            {t('people.remove', { name: shownName })}
          </button>
        </div>
      </details>
    </li>
  )
}

export interface AttendanceListProps {
  doc: Y.Doc
  /** The profile's display name: "Check me in" links it to the person of that name. */
  selfName: string
  /** The member this panel is (personal join code): "Check me in" links the person to it (SPEC J2). */
  selfMemberId?: string
  /** Who has the meeting open in the panel; those not checked in are offered a check-in. */
  presence: ReadableStore<readonly PresencePeer[]>
  now?: () => Date
}

/**
 * The attendance: the people of the meeting, each checked in by themself (or by someone in
 * the room), absent with a reason, or a guest (for one agenda item or the whole meeting); the
 * adjusters, the secretary and the convener. Each person is their own Y.Map and a check-in
 * one key of it (src/doc/attendance), so people checking in at the same moment all stay in.
 */
export const AttendanceList = ({ doc, selfName, selfMemberId = '', presence, now = () => new Date() }: AttendanceListProps) => {
  const { t } = useI18n()
  const id = useId()
  const people = useDocValue(doc, listAttendance, observeAttendance)
  const items = useDocValue(doc, listAgendaItems, observeBody)
  const peers = useStore(presence)
  const [newName, setNewName] = useState('')
  const [asGuest, setAsGuest] = useState(false)
  const [guestItem, setGuestItem] = useState('')
  const [pasted, setPasted] = useState('')
  const [pasteResult, setPasteResult] = useState<string | null>(null)

  const addFromPaste = (event: Event) => {
    event.preventDefault()
    if (pasted.trim() === '') return
    const { added, updated } = addPastedPeople(doc, pasted)
    setPasteResult(t('people.pasteResult', { added: String(added), updated: String(updated) }))
    setPasted('')
  }

  const add = (event: Event) => {
    event.preventDefault()
    const name = newName.trim()
    if (name === '') return
    if (asGuest) addGuest(doc, { name, agendaItem: guestItem })
    else addPerson(doc, { name })
    setNewName('')
  }

  const self = findSelf(people, { memberId: selfMemberId, name: selfName })
  const checkInSelf = (): void => {
    const personId = self?.id ?? checkInByName(doc, selfName, now())
    if (self !== undefined) checkIn(doc, self.id, now())
    if (selfMemberId !== '') linkPersonToMember(doc, personId, selfMemberId)
  }
  const selfCheckedIn = self !== undefined && self.checkedInAt !== ''
  // Others in the panel whose name is not a checked-in person, once per name.
  const notCheckedIn = [...new Set(peers.filter((peer) => !peer.self).map((peer) => peer.name.trim()))].filter(
    (name) => name !== '' && (findPersonByName(people, name)?.checkedInAt ?? '') === '',
  )

  return (
    <section class="people attendance-list" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>
        {t('people.heading')} <span class="count">({people.length})</span>
      </h2>
      {selfName.trim() !== '' &&
        (selfCheckedIn ? (
          <p class="hint self-checked-in">{t('attendance.checkedInSelf', { name: self.name })}</p>
        ) : (
          <button type="button" class="check-in-self" onClick={checkInSelf}>
            {t('attendance.checkInSelf')}
          </button>
        ))}
      {notCheckedIn.length > 0 && (
        <div class="in-panel">
          <h3>{t('attendance.inPanel')}</h3>
          <ul>
            {notCheckedIn.map((name) => (
              <li key={name}>
                {name}{' '}
                <button type="button" class="check-in-peer" onClick={() => checkInByName(doc, name, now())}>
                  {/* Someone already listed is checked in; someone not listed is added as well. */}
                  {findPersonByName(people, name) === undefined ? t('attendance.addPresent', { name }) : t('attendance.checkIn', { name })}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {people.length === 0 ? (
        <p class="hint">{t('people.empty')}</p>
      ) : (
        <ul class="people-list">
          {people.map((person) => (
            <PersonEntry key={person.id} doc={doc} person={person} items={items} now={now} />
          ))}
        </ul>
      )}
      <form class="people-paste" onSubmit={addFromPaste}>
        <label for={`${id}-paste`}>{t('people.paste')}</label>
        <textarea
          id={`${id}-paste`}
          name="people-paste"
          rows={3}
          value={pasted}
          placeholder={t('people.pastePlaceholder')}
          aria-describedby={`${id}-paste-hint`}
          onInput={(e) => setPasted(e.currentTarget.value)}
        />
        <p class="hint" id={`${id}-paste-hint`}>
          {t('people.pasteHint')}
        </p>
        <button type="submit">{t('people.pasteAdd')}</button>
        {pasteResult !== null && (
          <p class="hint" role="status">
            {pasteResult}
          </p>
        )}
      </form>
      <form class="add-person" onSubmit={add}>
        <label for={`${id}-new`}>{t('people.newName')}</label>
        <div class="row">
          <input id={`${id}-new`} type="text" value={newName} onInput={(e) => setNewName(e.currentTarget.value)} />
          <button type="submit">{t('people.add')}</button>
        </div>
        <div class="row">
          <span class="field-check">
            <input id={`${id}-guest`} type="checkbox" checked={asGuest} onChange={(e) => setAsGuest(e.currentTarget.checked)} />
            <label for={`${id}-guest`}>{t('attendance.addAsGuest')}</label>
          </span>
          {asGuest && (
            <select aria-label={t('people.agendaItem')} value={guestItem} onChange={(e) => setGuestItem(e.currentTarget.value)}>
              <option value="">{t('attendance.wholeMeeting')}</option>
              {items.map((item, index) => (
                <option key={item.id} value={item.id}>
                  {item.title || t('attendance.untitledItem', { number: index + 1 })}
                </option>
              ))}
            </select>
          )}
        </div>
      </form>
    </section>
  )
}
