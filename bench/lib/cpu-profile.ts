import { readFileSync } from 'node:fs'

/** A V8 `.cpuprofile` (what `node --cpu-prof` writes), the fields we read. */
interface CpuProfile {
  startTime: number
  endTime: number
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }>
  samples: number[]
  timeDeltas: number[]
}

export interface ProfileSummary {
  totalMs: number
  functions: RankedTimes
  packages: RankedTimes
  /** One paragraph for the report. */
  text: string
}

const packageOf = (url: string, functionName: string): string => {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)'
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (nm) return nm[1]!
  if (url.startsWith('node:')) return 'node core'
  const own = /\/(sync-server\/[^/]+)$/.exec(url) ?? /\/(sync-server\/persistence\/[^/]+)$/.exec(url)
  if (own) return own[1]!
  return url.split('/').slice(-2).join('/')
}

export type RankedTimes = Array<{ name: string; ms: number; share: number }>

/**
 * Ranks self times (microseconds, by function and by group) against `busyUs` and writes the
 * report's paragraph about them; shared by the Node and the browser profile summaries.
 */
export const describeSelfTime = (
  functions: Map<string, number>,
  groups: Map<string, number>,
  busyUs: number,
  idleUs: number,
  groupLabel: string,
  top: number,
): { functions: RankedTimes; groups: RankedTimes; text: string } => {
  const rank = (m: Map<string, number>): RankedTimes =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1000, share: busyUs === 0 ? 0 : us / busyUs }))
  const ranked = { functions: rank(functions), groups: rank(groups) }
  const pct = (share: number) => `${(share * 100).toFixed(1)} %`
  const text =
    `busy ${(busyUs / 1000).toFixed(0)} ms, idle ${(idleUs / 1000).toFixed(0)} ms. By ${groupLabel} (self time): ` +
    ranked.groups.slice(0, 8).map((g) => `${g.name} ${pct(g.share)}`).join(', ') +
    '. Top functions: ' +
    ranked.functions.slice(0, 10).map((f) => `\`${f.name}\` ${pct(f.share)}`).join(', ') +
    '.'
  return { ...ranked, text }
}

/**
 * Self time by function and by package/file, from the samples of the last `windowMs` of the
 * profile (the measured load; start-up and module loading come before it).
 */
export const summariseCpuProfile = (file: string, windowMs: number, top = 12): ProfileSummary => {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const selfUs = new Map<number, number>()
  const from = profile.endTime - windowMs * 1000
  let t = profile.startTime
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0
    t += delta
    if (t >= from) selfUs.set(id, (selfUs.get(id) ?? 0) + delta)
  })
  const functions = new Map<string, number>()
  const packages = new Map<string, number>()
  let total = 0
  let idle = 0
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!
    const { functionName, url, lineNumber } = node.callFrame
    if (functionName === '(idle)') {
      idle += us
      continue
    }
    total += us
    const where = url === '' ? '' : ` ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(sync-server\/)/, '$1')}:${lineNumber + 1}`
    const name = `${functionName || '(anonymous)'}${where}`
    functions.set(name, (functions.get(name) ?? 0) + us)
    const pkg = packageOf(url, functionName)
    packages.set(pkg, (packages.get(pkg) ?? 0) + us)
  }
  const { functions: fns, groups: pkgs, text } = describeSelfTime(functions, packages, total, idle, 'package/file', top)
  return { totalMs: total / 1000, functions: fns, packages: pkgs, text }
}
