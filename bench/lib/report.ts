/** What each benchmark hands to the report writer. */
export interface Goal {
  text: string
  /** undefined: could not be decided in this run (said why in `detail`). */
  ok: boolean | undefined
  detail: string
}

export interface Section {
  id: string
  title: string
  /** What was measured and how, in a sentence or two. */
  method: string
  /** Markdown tables (already rendered). */
  tables: string[]
  goals: Goal[]
  notes: string[]
  /** One chart per benchmark: file name in docs/benchmarks and the SVG text. */
  chart?: { file: string; svg: string }
}

export interface BenchContext {
  quick: boolean
  /** Raw run data (gitignored): profiles, JSON. */
  rawDir: string
  token: string
}

/** A markdown table; cells are strings already formatted. */
export const table = (header: string[], rows: string[][]): string =>
  [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n')
