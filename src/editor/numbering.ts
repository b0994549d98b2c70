import type * as Y from 'yjs'
import { firstItemNumber, getMeta, observeMeta } from '../doc/meta'

/**
 * Numbers the agenda items from the header's first number (§ 34, § 35 …): the CSS counter
 * that draws the numbers starts one below it. Follows the header as it changes, from anyone.
 * Returns the unsubscribe.
 */
export const followFirstNumber = (dom: HTMLElement, doc: Y.Doc): (() => void) => {
  const apply = (): void => {
    dom.style.counterReset = `agenda-item ${firstItemNumber(getMeta(doc)) - 1}`
  }
  apply()
  return observeMeta(doc, apply)
}
