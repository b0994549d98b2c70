import * as Y from 'yjs'

/**
 * Does `update` insert into or delete from one of `roots` of `doc` (SPEC J6)? Read before the
 * update is applied, against the room's document: only what is new to the room counts (a
 * reconnecting client re-sends its whole delete set, the server's own deletions included).
 *
 * An item's place is its explicit parent (a root's name, or the id of the item holding a nested
 * type), else the parent of its left or right neighbour (`origin`, `rightOrigin`), as Yjs
 * integrates it. Each reference is looked up in the update itself and in the room's document;
 * an item counts as writing a root when ANY reference it names leads there, which is stricter
 * than Yjs (which follows the right neighbour first) and so cannot be steered around.
 *
 * An item whose references are all unknown (a pending struct, SPEC H6) is let through: it can
 * only ever land where the item it waits for lands, and every item inside `roots` is written by
 * the server under a fresh random client id that is used for one write and never again (SPEC
 * J3), so no client can name in advance an id that will be created there. Deletions of ids the
 * room does not have yet are the same case.
 */
export const writesProtectedRoots = (doc: Y.Doc, update: Uint8Array, roots: ReadonlySet<string>): boolean => {
  const { structs, ds } = Y.decodeUpdate(update)
  const store = doc.store
  const rootNames = new Map<Y.AbstractType<any>, string>()
  for (const [name, type] of doc.share) rootNames.set(type, name)

  // The update's own items by client, in clock order (decodeUpdate yields each client's run in order).
  const own = new Map<number, Y.Item[]>()
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue
    let list = own.get(struct.id.client)
    if (list === undefined) own.set(struct.id.client, (list = []))
    list.push(struct)
  }

  /** The root a type of the room's document lives under. */
  const rootOfType = (type: Y.AbstractType<any> | null): string | null => {
    let current = type
    while (current !== null && current._item !== null) current = current._item.parent as Y.AbstractType<any> | null
    return current === null ? null : (rootNames.get(current) ?? null)
  }

  const findOwn = (id: Y.ID): Y.Item | null => {
    const list = own.get(id.client)
    if (list === undefined) return null
    let low = 0
    let high = list.length - 1
    while (low <= high) {
      const mid = (low + high) >>> 1
      const item = list[mid]!
      if (id.clock < item.id.clock) high = mid - 1
      else if (id.clock >= item.id.clock + item.length) low = mid + 1
      else return item
    }
    return null
  }

  // undefined: not known (pending); null: known, in no root (collected content).
  const resolved = new Map<Y.Item, ReadonlySet<string>>()
  const resolving = new Set<Y.Item>()

  /** The roots the item with `id` may sit in: one for the room's items, every candidate for the update's. */
  const rootsOfId = (id: Y.ID): ReadonlySet<string> | undefined => {
    if (id.clock < Y.getState(store, id.client)) {
      const struct = Y.getItem(store, id)
      if (!(struct instanceof Y.Item)) return NONE
      const root = rootOfType(struct.parent as Y.AbstractType<any> | null)
      return root === null ? NONE : new Set([root])
    }
    const item = findOwn(id)
    return item === null ? undefined : rootsOfOwn(item)
  }

  const rootsOfOwn = (item: Y.Item): ReadonlySet<string> => {
    const known = resolved.get(item)
    if (known !== undefined) return known
    // A crafted cycle of references resolves to nothing (Yjs keeps such items pending forever).
    if (resolving.has(item)) return NONE
    resolving.add(item)
    const found = new Set<string>()
    const parent = item.parent as unknown
    if (typeof parent === 'string') found.add(parent)
    for (const ref of [parent instanceof Y.ID ? parent : null, item.origin, item.rightOrigin]) {
      if (ref === null) continue
      for (const root of rootsOfId(ref) ?? NONE) found.add(root)
    }
    resolving.delete(item)
    resolved.set(item, found)
    return found
  }

  const touches = (candidates: ReadonlySet<string>): boolean => {
    for (const root of candidates) if (roots.has(root)) return true
    return false
  }

  for (const list of own.values()) {
    for (const item of list) {
      // Clocks the room has already are skipped by Yjs: not new, not a write.
      if (item.id.clock + item.length <= Y.getState(store, item.id.client)) continue
      if (touches(rootsOfOwn(item))) return true
    }
  }

  for (const [client, ranges] of ds.clients) {
    const structsOfClient = store.clients.get(client)
    if (structsOfClient === undefined) continue
    const state = Y.getState(store, client)
    for (const { clock, len } of ranges) {
      const end = Math.min(clock + len, state)
      if (clock >= end) continue
      for (let index = Y.findIndexSS(structsOfClient, clock); index < structsOfClient.length; index++) {
        const struct = structsOfClient[index]!
        if (struct.id.clock >= end) break
        if (!(struct instanceof Y.Item) || struct.deleted) continue
        const root = rootOfType(struct.parent as Y.AbstractType<any> | null)
        if (root !== null && roots.has(root)) return true
      }
    }
  }
  return false
}

const NONE: ReadonlySet<string> = new Set()
