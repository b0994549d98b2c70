import type * as Y from 'yjs'
import { useEffect, useState } from 'preact/hooks'

/**
 * Reads a value derived from a Y.Doc and re-reads it whenever `observe` reports a change
 * (local or remote). `observe` is one of src/doc's observers (`observeMeta`, `observePeople`).
 */
export const useDocValue = <T>(
  doc: Y.Doc,
  read: (doc: Y.Doc) => T,
  observe: (doc: Y.Doc, listener: () => void) => () => void,
): T => {
  const [value, setValue] = useState(() => read(doc))
  useEffect(() => {
    setValue(read(doc))
    return observe(doc, () => setValue(read(doc)))
    // `read` and `observe` are module functions; only the doc identity matters.
  }, [doc])
  return value
}
