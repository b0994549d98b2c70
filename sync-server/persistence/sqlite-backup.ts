import Database from 'better-sqlite3'
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { SQLITE_FILE_NAME, assertWriteAheadLogPresent } from './sqlite-store'
import { StoreOpenError } from './store'

export interface BackupSummary {
  file: string
  bytes: number
  rooms: number
  updates: number
  ms: number
}

const fsyncPath = (path: string): void => {
  const fd = openSync(path, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/**
 * Writes a consistent copy of the SQLite store in `dataDir` to `outFile`, also while a server
 * writes to it (SPEC O6). `VACUUM INTO` reads in one read transaction, so the copy is the store
 * as of one commit, the write-ahead log included; unlike SQLite's page-by-page backup API it
 * does not start over each time the server commits. The connection is read-only: a backup
 * never changes the store. Throws `StoreOpenError` with what to do when it cannot.
 */
export const backupSqliteStore = (dataDir: string, outFile: string): BackupSummary => {
  const started = performance.now()
  const file = join(dataDir, SQLITE_FILE_NAME)
  if (!existsSync(file)) throw new StoreOpenError(`There is no store at ${file}: pass the server's --data directory.`)
  if (existsSync(outFile)) throw new StoreOpenError(`${outFile} exists already: a backup never overwrites a file, choose a new name.`)
  assertWriteAheadLogPresent(file)
  // Written beside the target and renamed when complete: a file named `outFile` is always whole.
  const partial = `${outFile}.partial`
  rmSync(partial, { force: true })
  const source = new Database(file, { readonly: true, fileMustExist: true })
  try {
    source.prepare('VACUUM INTO ?').run(partial)
  } catch (error) {
    rmSync(partial, { force: true })
    throw new StoreOpenError(`Cannot back up ${file} to ${outFile}: ${(error as Error).message}`)
  } finally {
    source.close()
  }
  let rooms: number
  let updates: number
  try {
    // SQLite does not fsync what VACUUM INTO writes; the check reads it back first.
    fsyncPath(partial)
    const copy = new Database(partial, { readonly: true, fileMustExist: true })
    try {
      const check = copy.pragma('quick_check', { simple: true })
      if (check !== 'ok') throw new Error(`the copy fails its integrity check: ${String(check)}`)
      const counts = copy.prepare<[], { rooms: number; updates: number }>('SELECT COUNT(DISTINCT room) AS rooms, COUNT(*) AS updates FROM updates').get()!
      rooms = counts.rooms
      updates = counts.updates
    } finally {
      copy.close()
    }
  } catch (error) {
    rmSync(partial, { force: true })
    throw new StoreOpenError(`Cannot back up ${file} to ${outFile}: ${(error as Error).message}`)
  }
  renameSync(partial, outFile)
  fsyncPath(dirname(outFile))
  return { file: outFile, bytes: statSync(outFile).size, rooms, updates, ms: performance.now() - started }
}
