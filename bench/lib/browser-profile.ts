import { readFileSync } from 'node:fs'
import type { CDPSession } from 'playwright-core'
import { describeSelfTime, type RankedTimes } from './cpu-profile'

/** A CDP `Profiler.Profile` (the fields we read). */
export interface BrowserCpuProfile {
  startTime: number
  endTime: number
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }>
  samples?: number[]
  timeDeltas?: number[]
}

/** One decoded source map: per generated line, segments [column, source, line] sorted by column. */
interface DecodedMap {
  sources: string[]
  sourcesContent: Array<string | null>
  lines: Array<Array<[number, number, number]>>
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/** Decodes a source map v3 `mappings` string (base64 VLQ, fields relative to the previous segment). */
const decodeSourceMap = (file: string): DecodedMap => {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { sources: string[]; sourcesContent?: Array<string | null>; mappings: string }
  const lines: DecodedMap['lines'] = []
  let source = 0
  let line = 0
  for (const lineText of raw.mappings.split(';')) {
    const segments: DecodedMap['lines'][number] = []
    let column = 0
    for (const segmentText of lineText.split(',')) {
      if (segmentText === '') continue
      const fields: number[] = []
      let value = 0
      let shift = 0
      for (const char of segmentText) {
        const digit = BASE64.indexOf(char)
        value += (digit & 31) << shift
        if (digit & 32) {
          shift += 5
          continue
        }
        fields.push(value & 1 ? -(value >>> 1) : value >>> 1)
        value = 0
        shift = 0
      }
      column += fields[0]!
      if (fields.length < 4) continue
      source += fields[1]!
      line += fields[2]!
      segments.push([column, source, line])
    }
    lines.push(segments)
  }
  return { sources: raw.sources, sourcesContent: raw.sourcesContent ?? [], lines }
}

/** The name a function is declared with on its first line of source (a function, a `const f = (`, a method). */
const FUNCTION_NAMES = [/\bfunction\*?\s+([\w$]+)/, /\b(?:const|let|var)\s+([\w$]+)\s*=/, /^\s*(?:static\s+|async\s+|get\s+|set\s+)*([\w$]+)\s*\(/, /([\w$]+)\s*[:=]\s*(?:async\s*)?(?:function\b|\()/]
const declaredName = (lineText: string | undefined): string | undefined => {
  if (lineText === undefined) return undefined
  for (const pattern of FUNCTION_NAMES) {
    const match = pattern.exec(lineText)
    if (match) return match[1]
  }
  return undefined
}

export interface SourceLocation {
  /** The original file, `node_modules/<pkg>/…` or `src/…`. */
  file: string
  line: number
  /** The function's name as declared in the original source, when its first line shows it. */
  name: string | undefined
}

/** Finds where a position of the generated file (0-based line and column) came from. */
export const sourceMapLocator = (mapFile: string): ((line: number, column: number) => SourceLocation | undefined) => {
  const map = decodeSourceMap(mapFile)
  const sourceLines = new Map<number, string[]>()
  const lineOf = (source: number, line: number): string | undefined => {
    if (!sourceLines.has(source)) sourceLines.set(source, (map.sourcesContent[source] ?? '').split('\n'))
    return sourceLines.get(source)![line]
  }
  return (line, column) => {
    const segments = map.lines[line]
    if (segments === undefined || segments.length === 0) return undefined
    let found = -1
    for (let i = 0; i < segments.length && segments[i]![0] <= column; i++) found = i
    if (found === -1) return undefined
    const [, source, originalLine] = segments[found]!
    const file = (map.sources[source] ?? '?').replace(/^(\.\.\/)+/, '').replace(/^.*node_modules\//, 'node_modules/')
    return { file, line: originalLine + 1, name: declaredName(lineOf(source, originalLine)) }
  }
}

const groupOf = (file: string): string => {
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)
  if (nm) return nm[1]!
  const own = /^((?:src|entrypoints)\/[^/]+)/.exec(file)
  return own ? own[1]! : file
}

export interface BrowserProfileSummary {
  busyMs: number
  idleMs: number
  functions: RankedTimes
  groups: RankedTimes
  /** One paragraph for the report. */
  text: string
}

/**
 * Self time by function and by package / source folder. Positions in the extension's chunks
 * are mapped back through their source maps (`locate(url)` returns the chunk's locator), so a
 * minified build still reads as `yjs`, `prosemirror-view`, `src/editor`.
 */
export const summariseBrowserProfile = (
  profile: BrowserCpuProfile,
  locate: (url: string) => ((line: number, column: number) => SourceLocation | undefined) | undefined,
  top = 12,
): BrowserProfileSummary => {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const selfUs = new Map<number, number>()
  const samples = profile.samples ?? []
  samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas?.[i] ?? 0)))
  const functions = new Map<string, number>()
  const groups = new Map<string, number>()
  let busy = 0
  let idle = 0
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber, columnNumber } = byId.get(id)!.callFrame
    if (functionName === '(idle)') {
      idle += us
      continue
    }
    busy += us
    const where = url === '' ? undefined : locate(url)?.(lineNumber, columnNumber)
    const shortUrl = url.replace(/^chrome-extension:\/\/[^/]+\//, '')
    const name = where
      ? `${where.name ?? (functionName || '(anonymous)')} ${where.file.replace(/^node_modules\//, '')}:${where.line}`
      : `${functionName || '(anonymous)'}${shortUrl === '' ? '' : ` ${shortUrl}:${lineNumber + 1}`}`
    functions.set(name, (functions.get(name) ?? 0) + us)
    const group = where ? groupOf(where.file) : url === '' ? (functionName.startsWith('(') ? functionName : '(native)') : shortUrl
    groups.set(group, (groups.get(group) ?? 0) + us)
  }
  const { functions: fns, groups: grouped, text } = describeSelfTime(functions, groups, busy, idle, 'package/folder', top)
  return { busyMs: busy / 1000, idleMs: idle / 1000, functions: fns, groups: grouped, text }
}

/** One event of a Chromium trace (the fields we read). */
export interface TraceEvent {
  name: string
  ph: string
  ts: number
  dur?: number
  pid: number
  tid: number
  args?: { name?: string }
}

export interface BrowserRecording {
  profile: BrowserCpuProfile
  /** The Chromium trace (`devtools.timeline`) of the same window, when asked for. */
  trace: TraceEvent[] | undefined
}

/**
 * Starts the V8 CPU profiler of the page behind `cdp` (100 µs sampling), and with `trace` a
 * Chromium trace of the same window (what DevTools' Performance panel records: tasks, input
 * events, style, layout, paint). `stop()` ends both and returns them.
 */
export const startBrowserProfile = async (cdp: CDPSession, options: { trace?: boolean } = {}): Promise<{ stop(): Promise<BrowserRecording> }> => {
  const events: TraceEvent[] = []
  const onData = (e: { value: TraceEvent[] }) => void events.push(...e.value)
  if (options.trace === true) {
    cdp.on('Tracing.dataCollected', onData as never)
    await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline,v8.execute', transferMode: 'ReportEvents' })
  }
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 })
  await cdp.send('Profiler.start')
  return {
    stop: async () => {
      const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: BrowserCpuProfile }
      if (options.trace !== true) return { profile, trace: undefined }
      const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve))
      await cdp.send('Tracing.end')
      await complete
      cdp.off('Tracing.dataCollected', onData as never)
      return { profile, trace: events }
    },
  }
}

/**
 * Self time by trace event name on the renderer's main thread (`CrRendererMain`; the busiest
 * one when several pages are traced): how much of the thread's time went to script, style,
 * layout, paint and the rest, as DevTools' summary shows it.
 */
export const summariseTrace = (events: readonly TraceEvent[], top = 10): { busyMs: number; byName: Array<{ name: string; ms: number; share: number }>; text: string } => {
  const mainThreads = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`)
  const complete = events.filter((e) => e.ph === 'X' && e.dur !== undefined)
  const durationOn = (thread: string) => complete.filter((e) => `${e.pid}:${e.tid}` === thread && e.name === 'RunTask').reduce((n, e) => n + e.dur!, 0)
  const main = mainThreads.sort((a, b) => durationOn(b) - durationOn(a))[0]
  const onMain = complete.filter((e) => `${e.pid}:${e.tid}` === main).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!)
  const self = new Map<string, number>()
  const stack: TraceEvent[] = []
  let busy = 0
  for (const event of onMain) {
    while (stack.length > 0 && stack.at(-1)!.ts + stack.at(-1)!.dur! <= event.ts) stack.pop()
    const parent = stack.at(-1)
    if (parent === undefined) busy += event.dur!
    else self.set(parent.name, (self.get(parent.name) ?? 0) - event.dur!)
    self.set(event.name, (self.get(event.name) ?? 0) + event.dur!)
    stack.push(event)
  }
  const byName = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => ({ name, ms: us / 1000, share: busy === 0 ? 0 : us / busy }))
  const text = `main thread busy ${(busy / 1000).toFixed(0)} ms in tasks; self time by trace event: ${byName.map((e) => `${e.name} ${(e.share * 100).toFixed(1)} %`).join(', ')}.`
  return { busyMs: busy / 1000, byName, text }
}
