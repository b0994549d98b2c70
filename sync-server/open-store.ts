import type { ServerConfig } from './config'
import { createMemoryStore } from './persistence/memory-store'
import { openSqliteStore, type SqliteStoreOptions } from './persistence/sqlite-store'
import type { Store } from './persistence/store'

/** The store the configuration asks for. Throws `StoreOpenError` when it cannot be opened. */
export const openStore = (config: Pick<ServerConfig, 'store' | 'dataDir'>, sqliteOptions?: SqliteStoreOptions): Store =>
  config.store === 'memory' ? createMemoryStore() : openSqliteStore(config.dataDir, sqliteOptions)
