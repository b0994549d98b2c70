import { Plugin, type Transaction } from 'prosemirror-state'
import { ySyncPluginKey } from 'y-prosemirror'
import { lockKey } from './keys'

/** What the lock reads: whether the document is locked now, and when that may have changed. */
export interface LockOptions {
  isLocked(): boolean
  /** Calls `listener` whenever the lock may have flipped; returns the function that stops it. */
  observe(listener: () => void): () => void
}

/** A change y-prosemirror brings in from the Y.Doc (someone else's edit, or the first render). */
const fromYjs = (tr: Transaction): boolean =>
  (tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin === true

/**
 * A locked (adjusted) meeting is read-only: the text is not editable, and any local transaction
 * that would change the document (a checkbox click, a toolbar command, a field of a node view)
 * is dropped. Changes that arrive through y-prosemirror still apply: the document must show
 * what the others have. The server refuses changes to a locked meeting anyway (SPEC L2).
 *
 * `editable` is read when the view updates, so when the lock flips the plugin dispatches a
 * transaction that only sets its state, and the view reads it again.
 */
export const lockPlugin = ({ isLocked, observe }: LockOptions): Plugin<boolean> =>
  new Plugin<boolean>({
    key: lockKey,
    state: {
      init: () => isLocked(),
      apply: (tr, locked) => (tr.getMeta(lockKey) as boolean | undefined) ?? locked,
    },
    filterTransaction: (tr) => !tr.docChanged || fromYjs(tr) || !isLocked(),
    props: {
      editable: (state) => lockKey.getState(state) !== true,
    },
    view: (view) => {
      const stop = observe(() => {
        const locked = isLocked()
        if (!view.isDestroyed && locked !== lockKey.getState(view.state)) view.dispatch(view.state.tr.setMeta(lockKey, locked))
      })
      return { destroy: stop }
    },
  })
