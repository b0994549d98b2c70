import { buildMeeting, createMeetingDoc } from '../../src/doc'
import { MeetingSearchIndex } from '../../src/search'
import { progress } from '../lib/progress'
import { table, type BenchContext, type Section } from '../lib/report'
import { fmt, quantile } from '../lib/stats'
import { barChart } from '../lib/svg'
import { loadTrace } from '../lib/traces'

const GOAL_P99_MS = 16

/**
 * Search over a space's meetings (issue #13): N meetings of 8 agenda items × 6 paragraphs of
 * the `seph-blog1` trace's text, indexed as the panel does (`MeetingSearchIndex.upsert` per
 * meeting); then queries typed letter by letter, each prefix a search, as the meeting list
 * runs them while someone types.
 */
export const runSearchBench = async (ctx: BenchContext): Promise<Section> => {
  const counts = ctx.quick ? [100] : [100, 500]
  const lines = loadTrace('sequential-seph-blog1').endContent.split(/\s*\n\s*/).filter((line) => line.trim().length > 20)
  const words = [...new Set(lines.join(' ').split(/[^A-Za-z]+/).filter((word) => word.length >= 6))]
  const rows: string[][] = []
  const results: Array<{ count: number; buildMs: number; p50: number; p99: number; kb: number }> = []
  for (const count of counts) {
    progress(`search: building ${count} meetings`)
    const docs = Array.from({ length: count }, (_, m) => {
      const doc = createMeetingDoc()
      buildMeeting(doc, {
        meta: { title: `FLG ${m + 1}`, group: 'FLG', date: `2026-${String((m % 12) + 1).padStart(2, '0')}-15` },
        people: [{ name: `Person ${m % 17}`, initials: `P${m % 17}` }],
        items: Array.from({ length: 8 }, (_, i) => ({
          title: `Punkt ${i + 1} ${words[(m * 8 + i) % words.length]}`,
          blocks: Array.from({ length: 6 }, (_, p) => ({ type: 'paragraph' as const, text: lines[(m * 48 + i * 6 + p) % lines.length]! })),
        })),
      })
      return doc
    })
    progress(`search: indexing ${count} meetings`)
    const index = new MeetingSearchIndex()
    const started = performance.now()
    docs.forEach((doc, m) => index.upsert(`m${m}`, doc))
    const buildMs = performance.now() - started
    const kb = JSON.stringify(index).length / 1024
    progress(`search: typing 40 queries letter by letter over ${count} meetings`)
    const times: number[] = []
    for (let q = 0; q < 40; q++) {
      const query = `${words[(q * 37) % words.length]} ${words[(q * 11 + 5) % words.length]!.slice(0, 4)}`
      for (let end = 1; end <= query.length; end++) {
        const at = performance.now()
        index.search(query.slice(0, end))
        times.push(performance.now() - at)
      }
    }
    const p50 = quantile(times, 0.5)
    const p99 = quantile(times, 0.99)
    for (const doc of docs) doc.destroy()
    results.push({ count, buildMs, p50, p99, kb })
    rows.push([fmt(count, 0), fmt(count * 9, 0), fmt(buildMs, 0), fmt(kb, 0), fmt(times.length, 0), fmt(p50, 2), fmt(p99, 2)])
  }
  const largest = results[results.length - 1]!
  return {
    id: 'search',
    title: '11. Search over a space’s meetings',
    method:
      'Meetings of 8 agenda items × 6 paragraphs (text from the `seph-blog1` trace, a title word per item), built through the document API and indexed in Node as the panel indexes them (`MeetingSearchIndex`, MiniSearch with Swedish folding, one search document per item and one per header: 9 a meeting). Then 40 two-word queries typed letter by letter, every prefix searched as the meeting list does while someone types; time per search. Index size is the JSON of the MiniSearch index.',
    tables: [table(['meetings', 'search documents', 'index build ms', 'index KiB (JSON)', 'searches', 'p50 ms', 'p99 ms'], rows)],
    goals: [
      {
        text: `every search as you type under one frame (${GOAL_P99_MS} ms p99) over ${largest.count} meetings`,
        ok: largest.p99 < GOAL_P99_MS,
        detail: `p99 ${fmt(largest.p99, 2)} ms, p50 ${fmt(largest.p50, 2)} ms; index built in ${fmt(largest.buildMs, 0)} ms, ${fmt(largest.kb, 0)} KiB`,
      },
    ],
    notes: ['The panel builds the index on the first search from what IndexedDB holds (reading the meetings adds to the build time here) and then re-indexes one meeting at a time as it changes.'],
    chart: { file: 'search.svg', svg: barChart('Search: p99 per search while typing (ms)', 'ms', results.map((r) => `${r.count} meetings`), [{ name: 'p99', values: results.map((r) => r.p99) }]) },
  }
}
