import type { ServerConfig } from './config'
import { createMemoryStore } from './persistence/memory-store'
import { openPostgresStore } from './persistence/postgres-store'
import { openSqliteStore, type SqliteStoreOptions } from './persistence/sqlite-store'
import { StoreOpenError, type Store } from './persistence/store'

/** The store the configuration asks for. Rejects with `StoreOpenError` when it cannot be opened. */
export const openStore = async (
  config: Pick<ServerConfig, 'store' | 'dataDir' | 'postgresUrl'>,
  sqliteOptions?: SqliteStoreOptions,
): Promise<Store> => {
  switch (config.store) {
    case 'memory':
      return createMemoryStore()
    case 'sqlite':
      return openSqliteStore(config.dataDir, sqliteOptions)
    case 'postgres':
      if (config.postgresUrl === null) throw new StoreOpenError('The PostgreSQL store needs a URL: pass --postgres or set MINUTES_POSTGRES_URL.')
      return openPostgresStore(config.postgresUrl)
  }
}
