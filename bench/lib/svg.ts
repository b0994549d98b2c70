/**
 * Small SVG charts written as strings: grouped bars and lines. No dependencies; enough for a
 * report read on GitHub.
 */
const PALETTE = ['#2f6fdf', '#e07b28', '#3a9d5d', '#b84a9e', '#777777']
const W = 720
const H = 360
const M = { top: 48, right: 20, bottom: 70, left: 70 }

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

const niceMax = (value: number): number => {
  if (!(value > 0) || !Number.isFinite(value)) return 1
  const power = 10 ** Math.floor(Math.log10(value))
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power
  return 10 * power
}

const shortNumber = (v: number): string => (v >= 10_000 ? `${Math.round(v / 1000)}k` : v >= 100 ? String(Math.round(v)) : String(Math.round(v * 100) / 100))

const frame = (title: string, yLabel: string, yMax: number, body: string, legend: string[]): string => {
  const plotH = H - M.top - M.bottom
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const y = M.top + plotH - f * plotH
    return `<line x1="${M.left}" x2="${W - M.right}" y1="${y}" y2="${y}" stroke="#ddd"/><text x="${M.left - 6}" y="${y + 4}" text-anchor="end" font-size="11">${shortNumber(f * yMax)}</text>`
  })
  const legendItems = legend.map((name, i) => {
    const x = M.left + i * 170
    return `<rect x="${x}" y="${H - 22}" width="12" height="12" fill="${PALETTE[i % PALETTE.length]}"/><text x="${x + 16}" y="${H - 12}" font-size="11">${esc(name)}</text>`
  })
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="14" font-weight="bold">${esc(title)}</text>`,
    `<text x="16" y="${M.top + plotH / 2}" font-size="11" transform="rotate(-90 16 ${M.top + plotH / 2})" text-anchor="middle">${esc(yLabel)}</text>`,
    ...ticks,
    body,
    ...legendItems,
    '</svg>',
  ].join('\n')
}

export interface BarSeries {
  name: string
  /** One value per group; NaN or Infinity draws nothing. */
  values: number[]
}

/** Grouped bars: one group per category, one bar per series. */
export const barChart = (title: string, yLabel: string, groups: string[], series: BarSeries[]): string => {
  const finite = series.flatMap((s) => s.values).filter((v) => Number.isFinite(v))
  const yMax = niceMax(Math.max(0, ...finite))
  const plotW = W - M.left - M.right
  const plotH = H - M.top - M.bottom
  const groupW = plotW / Math.max(1, groups.length)
  const barW = Math.min(40, (groupW * 0.8) / Math.max(1, series.length))
  const bars: string[] = []
  groups.forEach((group, g) => {
    const x0 = M.left + g * groupW + (groupW - barW * series.length) / 2
    series.forEach((s, i) => {
      const v = s.values[g]
      if (v === undefined || !Number.isFinite(v)) return
      const h = (v / yMax) * plotH
      bars.push(`<rect x="${x0 + i * barW}" y="${M.top + plotH - h}" width="${barW - 2}" height="${h}" fill="${PALETTE[i % PALETTE.length]}"><title>${esc(`${s.name} ${group}: ${v}`)}</title></rect>`)
    })
    bars.push(`<text x="${M.left + g * groupW + groupW / 2}" y="${M.top + plotH + 16}" text-anchor="middle" font-size="11">${esc(group)}</text>`)
  })
  return frame(title, yLabel, yMax, bars.join('\n'), series.map((s) => s.name))
}

export interface LineSeries {
  name: string
  points: Array<[x: number, y: number]>
}

/** Lines over a numeric x axis (points with a non-finite y are skipped). */
export const lineChart = (title: string, xLabel: string, yLabel: string, series: LineSeries[], yCap?: number): string => {
  const xs = series.flatMap((s) => s.points.map(([x]) => x))
  const ys = series.flatMap((s) => s.points.map(([, y]) => y)).filter((y) => Number.isFinite(y))
  const xMax = niceMax(Math.max(1, ...xs))
  const yMax = niceMax(Math.min(yCap ?? Infinity, Math.max(0, ...ys)))
  const plotW = W - M.left - M.right
  const plotH = H - M.top - M.bottom
  const px = (x: number) => M.left + (x / xMax) * plotW
  const py = (y: number) => M.top + plotH - (Math.min(y, yMax) / yMax) * plotH
  const body = series.map((s, i) => {
    const color = PALETTE[i % PALETTE.length]
    const points = s.points.filter(([, y]) => Number.isFinite(y))
    const path = points.map(([x, y], k) => `${k === 0 ? 'M' : 'L'}${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ')
    const dots = points.map(([x, y]) => `<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3" fill="${color}"><title>${esc(`${s.name}: ${x}, ${y}`)}</title></circle>`)
    return `<path d="${path}" fill="none" stroke="${color}" stroke-width="2"/>${dots.join('')}`
  })
  const xTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => `<text x="${px(f * xMax)}" y="${M.top + plotH + 16}" text-anchor="middle" font-size="11">${shortNumber(f * xMax)}</text>`)
  const xTitle = `<text x="${M.left + plotW / 2}" y="${M.top + plotH + 34}" text-anchor="middle" font-size="11">${esc(xLabel)}</text>`
  return frame(title, yLabel, yMax, [...body, ...xTicks, xTitle].join('\n'), series.map((s) => s.name))
}
