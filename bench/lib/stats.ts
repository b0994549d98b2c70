/** Small numeric helpers shared by the load processes and the report. */

/** The q-quantile (0..1) of `values` by nearest rank; NaN for an empty list. */
export const quantile = (values: readonly number[], q: number): number => {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[rank]!
}

export const median = (values: readonly number[]): number => quantile(values, 0.5)

export const max = (values: readonly number[]): number => (values.length === 0 ? Number.NaN : values.reduce((a, b) => Math.max(a, b), -Infinity))

/** A figure for a table: fixed decimals, thousands separated, `–` for a missing value. */
export const fmt = (value: number | undefined, decimals = 1): string => {
  if (value === undefined || !Number.isFinite(value)) return '–'
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals })
}

/** `ours / peer` as `0.42×`, or `–` when either is missing. */
export const ratio = (ours: number | undefined, peer: number | undefined): string => {
  if (ours === undefined || peer === undefined || !Number.isFinite(ours) || !Number.isFinite(peer) || peer === 0) return '–'
  return `${(ours / peer).toFixed(2)}×`
}

export const mark = (ok: boolean | undefined): string => (ok === undefined ? '–' : ok ? '✓' : '✗')
