import type { Node as PMNode } from 'prosemirror-model'
import { yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror'
import * as Y from 'yjs'
import { Root } from './roots'
import { schema } from './schema'

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

/** The header fields, one Y.Map key a field. Prefer `getMeta` / `setMetaField`. */
export const getMetaMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(Root.meta)

/** The people of the meeting: person id → Y.Map of fields. Prefer the accessors in `people.ts`. */
export const getPeopleMap = (doc: Y.Doc): Y.Map<Y.Map<unknown>> => doc.getMap(Root.people)

/** The meeting's body, the fragment the editor binds with `ySyncPlugin`. */
export const getBody = (doc: Y.Doc): Y.XmlFragment => doc.getXmlFragment(Root.body)

/**
 * The body as a ProseMirror document of the minutes schema, read once (exports, the action
 * register, the change view). Throws when the body does not fit the schema (a foreign client).
 */
export const readBody = (doc: Y.Doc): PMNode => yXmlFragmentToProseMirrorRootNode(getBody(doc), schema)
