/**
 * Names of the shared types at the root of a meeting's `Y.Doc`.
 *
 * A root name is part of the stored format: every client and every stored update refers to
 * it, so these strings never change. Later features add roots of their own next to these
 * (follow-up of actions, adjustment) instead of nesting inside them, so an older client
 * simply ignores what it does not know.
 */
import type * as Y from 'yjs'

export const Root = {
  /** Y.Map of header fields, one key a field (see `MetaField`). */
  meta: 'meta',
  /** Y.Map of person id → Y.Map of person fields (see `PersonField`). */
  people: 'people',
  /** Y.XmlFragment bound to the editor by y-prosemirror's `ySyncPlugin`. */
  body: 'body',
  /**
   * Y.Map of action id → Y.Map of one carried action's fields: the open actions of earlier
   * meetings of the series, checked in at this one (see `src/series/follow-up.ts`).
   */
  followUp: 'followUp',
  /** Y.Map: final mark, lock, adjusted state; the server reads `locked` (see `adjustment.ts`). */
  adjustment: 'adjustment',
  /**
   * Y.Map of adjuster's person id → `{ name, memberId, at, round, contentHash, verified }`
   * (see `adjustment.ts`). With `adjustment`, written by the sync server only (SPEC J6).
   */
  approvals: 'approvals',
} as const
export type Root = (typeof Root)[keyof typeof Root]

/** The header fields, one Y.Map key a field. Prefer `getMeta` / `setMetaField`. */
export const getMetaMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(Root.meta)

/** The people of the meeting: person id → Y.Map of fields. Prefer the accessors in `people.ts`. */
export const getPeopleMap = (doc: Y.Doc): Y.Map<Y.Map<unknown>> => doc.getMap(Root.people)

/** The meeting's body, the fragment the editor binds with `ySyncPlugin`. */
export const getBody = (doc: Y.Doc): Y.XmlFragment => doc.getXmlFragment(Root.body)
