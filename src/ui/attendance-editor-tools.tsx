import type * as Y from 'yjs'
import { TextSelection, type Command } from 'prosemirror-state'
import { useId, useState, useEffect } from 'preact/hooks'
import { listPeople, observePeople, responsibleChoices } from '../doc'
import { actionAt, insertAgendaItem, setResponsible } from '../editor'
import { useI18n } from './i18n-context'
import type { MountedEditor } from './panel-services'
import { createStore, useStore, type ReadableStore } from './store'
import { useDocValue } from './use-doc-value'

const NO_STATE: ReadableStore<null> = createStore(null)

/** A check-in or check-out round: an agenda item of that kind, titled, cursor after the title. */
const insertRound = (kind: 'checkin' | 'checkout', title: string): Command => (state, dispatch) =>
  insertAgendaItem(kind)(state, (tr) => {
    const { from } = tr.selection
    tr.insertText(title, from)
    tr.setSelection(TextSelection.create(tr.doc, from + title.length))
    dispatch?.(tr)
  })

/**
 * Tools next to the editor that come from the attendance: the responsible of the action at the
 * cursor, chosen from the initials of the meeting's people or typed freely, and the check-in
 * and check-out rounds ("Incheckning", "Utcheckning") as agenda items of their own kind.
 */
export const AttendanceEditorTools = ({ doc, editor, disabled }: { doc: Y.Doc; editor: MountedEditor; disabled: boolean }) => {
  const { t } = useI18n()
  const id = useId()
  const people = useDocValue(doc, listPeople, observePeople)
  const state = useStore(editor.state ?? NO_STATE)
  const action = state === null ? null : actionAt(state)
  const current = action === null ? '' : String(action.node.attrs.responsible ?? '')
  const actionId = action === null ? '' : String(action.node.attrs.id ?? '')
  const [value, setValue] = useState(current)
  // Follow the cursor: another action shows its own responsible.
  useEffect(() => setValue(current), [actionId, current])
  const run = editor.run
  if (run === undefined) return null

  const setOnAction = (event: Event) => {
    event.preventDefault()
    run(setResponsible(value.trim()))
  }

  return (
    <div class="editor-tools">
      <div class="row rounds">
        <button type="button" class="add-checkin" disabled={disabled} onClick={() => run(insertRound('checkin', t('rounds.checkinTitle')))}>
          {t('rounds.checkin')}
        </button>
        <button type="button" class="add-checkout" disabled={disabled} onClick={() => run(insertRound('checkout', t('rounds.checkoutTitle')))}>
          {t('rounds.checkout')}
        </button>
      </div>
      {action !== null && (
        <form class="responsible-picker" onSubmit={setOnAction}>
          <label for={`${id}-responsible`}>{t('responsible.label')}</label>
          <div class="row">
            <input
              id={`${id}-responsible`}
              name="responsible"
              type="text"
              list={`${id}-choices`}
              value={value}
              disabled={disabled}
              aria-describedby={`${id}-hint`}
              onInput={(event) => setValue(event.currentTarget.value)}
            />
            <datalist id={`${id}-choices`}>
              {responsibleChoices(people).map((choice) => (
                <option key={choice.value} value={choice.value}>
                  {choice.label}
                </option>
              ))}
            </datalist>
            <button type="submit" disabled={disabled}>
              {t('responsible.set')}
            </button>
          </div>
          <p class="hint" id={`${id}-hint`}>
            {t('responsible.hint')}
          </p>
        </form>
      )}
    </div>
  )
}
