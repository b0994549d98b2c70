import type { Node as PMNode } from 'prosemirror-model'
import { yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror'
import * as Y from 'yjs'
import { getBody, getMetaMap, getPeopleMap } from './roots'
import { schema } from './schema'

// The root accessors live in `roots.ts` (no editor schema behind them, so the sync server can
// read a meeting without loading ProseMirror); they are re-exported here where callers look.
export { getBody, getMetaMap, getPeopleMap }

/**
 * A new, empty meeting document. Its shared roots exist from the start so every client
 * refers to the same types; nothing is written, so creating it on several clients at once
 * produces no conflicting content.
 */
export const createMeetingDoc = (options: { guid?: string } = {}): Y.Doc => {
  const doc = new Y.Doc(options.guid === undefined ? {} : { guid: options.guid })
  getMetaMap(doc)
  getPeopleMap(doc)
  getBody(doc)
  return doc
}

/**
 * The body as a ProseMirror document of the minutes schema, read once (exports, the action
 * register, the change view). Throws when the body does not fit the schema (a foreign client).
 */
export const readBody = (doc: Y.Doc): PMNode => yXmlFragmentToProseMirrorRootNode(getBody(doc), schema)
