import type * as Y from 'yjs'
import type { Awareness } from 'y-protocols/awareness'
import type { Translate } from '../i18n'
import type { MountedEditor } from '../panel-services'

export interface MountEditorOptions {
  mount: HTMLElement
  doc: Y.Doc
  awareness: Awareness | null
  t: Translate
  /** This attendee: written into the actions they tick, shown on their caret. */
  user: { name: string; color: string }
  /** The accessible name of the editable area. */
  label: string
}

export type MountEditor = (options: MountEditorOptions) => MountedEditor
