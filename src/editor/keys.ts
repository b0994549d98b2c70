import { PluginKey } from 'prosemirror-state'

/** The open "/" menu: where its "/" is, what was typed after it, and which entry is active. */
export interface SlashMenuState {
  from: number
  query: string
  index: number
}

/** Keys of the editor's own plugins (y-prosemirror's live in y-prosemirror). */
export const integrityKey = new PluginKey('minutes-integrity')
/** The lock's state: whether the meeting was locked when the view last heard of it. */
export const lockKey = new PluginKey<boolean>('minutes-lock')
export const nodeViewsKey = new PluginKey('minutes-node-views')
export const remoteScrollKey = new PluginKey<boolean>('minutes-remote-scroll')
export const slashMenuKey = new PluginKey<SlashMenuState | null>('minutes-slash-menu')
