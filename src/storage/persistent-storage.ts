/** The part of `navigator.storage` this module uses. */
export interface StorageManagerLike {
  persist?: () => Promise<boolean>
  persisted?: () => Promise<boolean>
}

/**
 * Asks the browser not to evict this origin's IndexedDB under storage pressure. Call once at
 * start-up with `navigator.storage`. Resolves `'unsupported'` when the API is absent and never
 * rejects: being denied is an answer, not an error.
 */
export const requestPersistentStorage = async (
  storage: StorageManagerLike | undefined,
): Promise<boolean | 'unsupported'> => {
  if (storage?.persist === undefined) return 'unsupported'
  try {
    if ((await storage.persisted?.()) === true) return true
    return await storage.persist()
  } catch {
    return false
  }
}
