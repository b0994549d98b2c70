import type * as Y from 'yjs'
import type { Awareness } from 'y-protocols/awareness'
import type { MountedEditor } from './types'

export interface MountEditorOptions {
  mount: HTMLElement
  doc: Y.Doc
  awareness: Awareness | null
  /** This attendee: written into the actions they tick, shown on their caret. */
  user: { name: string; color: string }
}

export type MountEditor = (options: MountEditorOptions) => MountedEditor
