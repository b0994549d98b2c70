import * as Y from 'yjs'
import type { StoredUpdate } from './persistence/store'

export interface LoadedDoc {
  doc: Y.Doc
  /** Ids of stored updates that did not apply and were left out. */
  skipped: number[]
}

const applies = (doc: Y.Doc, update: Uint8Array): boolean => {
  try {
    Y.applyUpdate(doc, update)
    return true
  } catch {
    return false
  }
}

/**
 * Builds a room's document from its stored log, one update per transaction, as the updates
 * were applied when they arrived (SPEC D3, D6). An update that throws is left out, and the
 * document is built again without it, since a half-applied update may have left something
 * behind; one bad row must not make a whole meeting unreadable. Builds at most once per bad row.
 */
export const loadRoomDoc = (stored: readonly StoredUpdate[]): LoadedDoc => {
  const skipped = new Set<number>()
  for (;;) {
    const doc = new Y.Doc()
    const bad = stored.find((entry) => !skipped.has(entry.id) && !applies(doc, entry.update))
    if (bad === undefined) return { doc, skipped: [...skipped] }
    doc.destroy()
    skipped.add(bad.id)
  }
}
