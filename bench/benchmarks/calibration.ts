import * as Y from 'yjs'
import { keystrokes, loadTrace, type Patch } from '../lib/traces'
import { fmt, mark } from '../lib/stats'
import { table, type Section } from '../lib/report'

/** dmonad/crdt-benchmarks "B4" (this trace, one transaction an edit): published 1.1–5.7 s. */
export const PUBLISHED_B4_MS = { low: 1_100, high: 5_700 }
export const B4_EXPECTED_V2_BYTES = 159_929
const B4_CLIENT_ID = 0xf0000001

export interface CalibrationResult {
  edits: number
  ms: number
  v2Bytes: number
  textMatches: boolean
}

/** Replays the first `limit` edits (all by default) into a fresh Y.Doc, one transaction each. */
export const replayB4 = (limit = Number.POSITIVE_INFINITY): CalibrationResult => {
  const trace = loadTrace('sequential-automerge-paper')
  const patches: Patch[] = keystrokes(trace).slice(0, limit)
  const doc = new Y.Doc()
  // The encoding holds the client id as a varint: a random id below 2^28 is a byte shorter
  // (1 run in 16). Fix it to a 5-byte id, as most random ids are, so the size is exact.
  doc.clientID = B4_CLIENT_ID
  const text = doc.getText('text')
  const started = performance.now()
  for (const [position, deleted, inserted] of patches) {
    doc.transact(() => {
      if (deleted > 0) text.delete(position, deleted)
      if (inserted !== '') text.insert(position, inserted)
    })
  }
  const v2Bytes = Y.encodeStateAsUpdateV2(doc).byteLength
  const ms = performance.now() - started
  const full = limit >= keystrokes(trace).length
  return { edits: patches.length, ms, v2Bytes, textMatches: !full || text.toString() === trace.endContent }
}

/** The machine factor printed at the top of the report: our B4 time over the published one. */
export const runCalibration = (): { section: Section; factor: { low: number; high: number } } => {
  const result = replayB4()
  const sizeOk = result.v2Bytes === B4_EXPECTED_V2_BYTES
  const factor = { low: result.ms / PUBLISHED_B4_MS.high, high: result.ms / PUBLISHED_B4_MS.low }
  return {
    factor,
    section: {
      id: 'calibration',
      title: 'Calibration: B4 (sequential-automerge-paper into a Y.Doc)',
      method:
        'All edits of the trace applied to one Y.Doc, one transaction an edit, then `Y.encodeStateAsUpdateV2` (as dmonad/crdt-benchmarks B4 does). ' +
        `The published B4 time for Yjs is given as ${fmt(PUBLISHED_B4_MS.low / 1000)}–${fmt(PUBLISHED_B4_MS.high / 1000)} s (docs/measurements.md, Calibration); the factor is our time divided by each end of that range.`,
      tables: [
        table(
          ['edits', 'time', 'V2 bytes', 'expected', 'text equals endContent', 'factor vs published'],
          [[fmt(result.edits, 0), `${fmt(result.ms / 1000, 2)} s`, fmt(result.v2Bytes, 0), fmt(B4_EXPECTED_V2_BYTES, 0), result.textMatches ? 'yes' : 'no', `${fmt(factor.low, 2)}–${fmt(factor.high, 2)}×`]],
        ),
      ],
      goals: [{ text: `encoded size exactly ${fmt(B4_EXPECTED_V2_BYTES, 0)} bytes`, ok: sizeOk && result.textMatches, detail: `${fmt(result.v2Bytes, 0)} bytes` }],
      notes: [],
    },
  }
}
