import * as Y from 'yjs'

/** Sends every update of each doc to the others, as a relay would; returns the disconnect. */
export const connect = (...docs: Y.Doc[]): (() => void) => {
  const remote = Symbol('remote')
  const offs = docs.map((doc) => {
    const handler = (update: Uint8Array, origin: unknown): void => {
      if (origin === remote) return
      for (const other of docs) if (other !== doc) Y.applyUpdate(other, update, remote)
    }
    doc.on('update', handler)
    return () => doc.off('update', handler)
  })
  return () => offs.forEach((off) => off())
}

/** Exchanges the full state of two docs, both ways, as after a reconnect. */
export const exchange = (a: Y.Doc, b: Y.Doc): void => {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
}
