import type { ToolbarLabelKey } from '../editor'

/** One toolbar button as the panel renders it: a label key, and its state at this moment. */
export interface ToolbarButtonView {
  id: string
  label: ToolbarLabelKey
  /** For toggles (bold, a list type): pressed or not; `undefined` for plain actions. */
  active: boolean | undefined
  enabled: boolean
  /** The key that does the same, in ProseMirror's notation (`Mod-Enter`), if any. */
  shortcut?: string
  run(): void
}

export interface ToolbarView {
  buttons: readonly ToolbarButtonView[]
}
