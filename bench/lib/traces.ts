import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'

/** Real editing traces (josephg/editing-traces, CC BY 4.0), kept in the repository: bench/data/editing-traces/README.md. */
export const TRACES_DIR = process.env.MINUTES_TRACES_DIR ?? join(import.meta.dirname, '..', 'data', 'editing-traces')

/** One patch: at `position` delete `deleted` characters, then insert `inserted`. */
export type Patch = readonly [position: number, deleted: number, inserted: string]

export interface SequentialTrace {
  startContent: string
  endContent: string
  txns: ReadonlyArray<{ patches: readonly Patch[] }>
}

export type SequentialTraceName = 'sequential-automerge-paper' | 'sequential-seph-blog1' | 'sequential-friendsforever_flat'

export const loadTrace = (name: SequentialTraceName): SequentialTrace => {
  const raw = gunzipSync(readFileSync(join(TRACES_DIR, `${name}.json.gz`))).toString('utf8')
  return JSON.parse(raw) as SequentialTrace
}

/** The trace as a flat list of keystroke patches (transactions flattened, order kept). */
export const keystrokes = (trace: SequentialTrace): Patch[] => trace.txns.flatMap((txn) => txn.patches)
