import { TextSelection, type Command } from 'prosemirror-state'
import { insertAgendaItem } from '../editor'
import { useI18n } from './i18n-context'
import type { MountedEditor } from './panel-services'

/** A check-in or check-out round: an agenda item of that kind, titled, cursor after the title. */
const insertRound = (kind: 'checkin' | 'checkout', title: string): Command => (state, dispatch) =>
  insertAgendaItem(kind)(state, (tr) => {
    const { from } = tr.selection
    tr.insertText(title, from)
    tr.setSelection(TextSelection.create(tr.doc, from + title.length))
    dispatch?.(tr)
  })

/**
 * The check-in and check-out rounds ("Incheckning", "Utcheckning") as agenda items of their
 * own kind. (An action's responsible and due date are edited on the action itself.)
 */
export const AttendanceEditorTools = ({ editor, disabled }: { editor: MountedEditor; disabled: boolean }) => {
  const { t } = useI18n()
  const run = editor.run
  if (run === undefined) return null
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
    </div>
  )
}
