import { monitorEventLoopDelay } from 'node:perf_hooks'
import * as Y from 'yjs'
import { createRandom } from '../../tests/helpers/random'
import { max, quantile } from '../lib/stats'
import { ATTACKS, EXPECTED, phaseAt, runAttacker, type AttackKind, type AttackTarget, type Episode, type Outcome } from './attacks'
import { connectAll, connectClient, newCounters, sleep, type BenchClient } from './clients'
import type { AttackersResult, AttackersTask, BurnResult, BurnTask, HonestRecord, HonestSnapshot, HostilePhase, HostileResult, HostileTask } from './task'

const LOCAL = Symbol('bench-honest-typing')
const LETTERS = 'abcdefghijklmnopqrstuvwxyz '

interface Honest {
  room: string
  client: BenchClient
  text: Y.Text
  /** Each inserting keystroke: its client id, that id's clock after it, and when it was typed (for latency). */
  sent: Array<[clientId: number, clockAfter: number, at: number]>
  keys: HonestRecord['keys']
  /** The latest acknowledged state vector (SPEC P5). */
  acked: Map<number, number>
  closes: number[]
}

/** The rooms of a hostile run; room 0 is the big one. */
export const hostileRooms = (task: Pick<HostileTask, 'rooms' | 'seed'>): string[] => Array.from({ length: task.rooms }, (_, r) => `hostile-${task.seed}-${r}`)

type AttackerConfig = Pick<AttackersTask, 'url' | 'rooms' | 'bigRoom' | 'maxMessageBytes' | 'tokenMaxConnections' | 'holdMs'>

const targetOf = (config: AttackerConfig, tokens: HostileTask['attackers'][number], honest: () => HonestSnapshot): AttackTarget => ({
  url: config.url,
  rooms: config.rooms,
  bigRoom: config.bigRoom,
  editorToken: tokens.editor,
  viewerToken: tokens.viewer,
  maxMessageBytes: config.maxMessageBytes,
  tokenMaxConnections: config.tokenMaxConnections,
  holdMs: config.holdMs,
  honest: (room) => honest()[room] ?? [],
})

/** Where the attackers run: in the honest load process (the test), or in one of their own (the benchmark). */
export interface AttackerSide {
  /** The typing has started: attack until `until` (performance.now()); `honest` says who the attendees are now. */
  start(config: AttackerConfig, honest: () => HonestSnapshot, started: number, until: number): void
  /** Every episode, once the attacks under way at the end have finished. */
  finished(): Promise<Episode[]>
}

/** The attackers of `task` on this process's event loop. */
export const attackersHere = (task: HostileTask): AttackerSide => {
  let running: Promise<Episode[][]> = Promise.resolve([])
  return {
    start: (config, honest, started, until) => {
      const attacks = task.attacks ?? [...ATTACKS]
      running = Promise.all(task.attackers.map((tokens, i) => runAttacker(targetOf(config, tokens, honest), createRandom(task.seed + 1 + i), attacks, started, until)))
    },
    finished: async () => (await running).flat(),
  }
}

/**
 * The attackers' own load process: waits at the `ready` mark until the harness says the typing
 * started, then runs every attacker through the phases; what it knows of the honest attendees
 * is the latest snapshot the honest process shared (`honest`).
 */
export const runAttackers = async (task: AttackersTask, mark: (name: string) => Promise<void>, honest: () => HonestSnapshot): Promise<AttackersResult> => {
  await mark('ready')
  const started = performance.now()
  const until = started + task.durationMs
  const cpuMsByPhase: number[] = []
  let cpuAtPhase = process.cpuUsage()
  const phaseMs = task.durationMs / task.attacks.length
  const endPhase = () => {
    const cpu = process.cpuUsage(cpuAtPhase)
    cpuAtPhase = process.cpuUsage()
    cpuMsByPhase.push((cpu.user + cpu.system) / 1000)
  }
  const timers = task.attacks.slice(1).map((_, i) => setTimeout(endPhase, (i + 1) * phaseMs))
  const episodes = await Promise.all(task.attackers.map((tokens, i) => runAttacker(targetOf(task, tokens, honest), createRandom(task.seed + 1 + i), task.attacks, started, until)))
  for (const timer of timers) clearTimeout(timer)
  endPhase()
  return { kind: 'attackers', episodes: episodes.flat(), cpuMsByPhase: cpuMsByPhase.slice(0, task.attacks.length) }
}

/** Process CPU time since `since`, milliseconds. */
const cpuMsSince = (since: NodeJS.CpuUsage): number => {
  const cpu = process.cpuUsage(since)
  return (cpu.user + cpu.system) / 1000
}

/**
 * The burner: from the `ready` mark on, each phase spends `cpuMsByPhase` of CPU spread evenly
 * over it (a busy slice of 2 ms at the duty cycle that adds up to it), doing nothing else.
 */
export const runBurner = async (task: BurnTask, mark: (name: string) => Promise<void>): Promise<BurnResult> => {
  await mark('ready')
  const phaseMs = task.durationMs / task.cpuMsByPhase.length
  const used: number[] = []
  for (const wanted of task.cpuMsByPhase) {
    const from = performance.now()
    const cpuFrom = process.cpuUsage()
    while (performance.now() - from < phaseMs) {
      const due = (wanted * (performance.now() - from)) / phaseMs
      if (cpuMsSince(cpuFrom) < due) {
        const slice = performance.now() + 2
        while (performance.now() < slice);
      } else await sleep(2)
    }
    used.push(cpuMsSince(cpuFrom))
  }
  return { kind: 'burn', cpuMsByPhase: used }
}

/**
 * Honest attendees typing (stock y-websocket clients with `?ack=1`) while hostile connections
 * run the attacks of bench/load/attacks.ts in turn. Latency is keystroke to every other
 * attendee of the room, as in the fan-out benchmark. Room 0 holds a large document first, the
 * one non-readers ask for. The typing is cut into one phase per attack, all attackers on that
 * attack (`runAttacker`); a keystroke's latency counts in the phase it was typed in, also in
 * the run without attackers, so each phase has its calm counterpart.
 */
export const runHostile = async (task: HostileTask, mark: (name: string) => Promise<void>, side: AttackerSide = attackersHere(task)): Promise<HostileResult> => {
  const random = createRandom(task.seed)
  const counters = newCounters()
  const rooms = hostileRooms(task)
  const honest: Honest[] = []
  const make = (room: string) => () => {
    const record: Honest = { room, client: undefined as unknown as BenchClient, text: undefined as unknown as Y.Text, sent: [], keys: [], acked: new Map(), closes: [] }
    const doc = new Y.Doc()
    record.client = connectClient({
      kind: 'y-websocket',
      url: task.url,
      room,
      token: task.token,
      counters,
      doc,
      onAck: (sv) => (record.acked = sv),
      onClose: (code) => record.closes.push(code),
    })
    record.text = doc.getText('minutes')
    honest.push(record)
    return record.client
  }
  // The big room's document is pasted by its first attendee before the others join.
  const [seeder] = await connectAll([make(rooms[0]!)], 1, 20_000)
  const chunk = 256 * 1024
  for (let at = 0; at < task.bigRoomBytes; at += chunk) honest[0]!.text.insert(at, 'm'.repeat(Math.min(chunk, task.bigRoomBytes - at)))
  const pasted = Y.getState(seeder!.doc.store, seeder!.doc.clientID)
  const pastedBy = performance.now() + 30_000
  while ((honest[0]!.acked.get(seeder!.doc.clientID) ?? 0) < pasted && performance.now() < pastedBy) await sleep(50)
  await connectAll(
    rooms.flatMap((room, r) => Array.from({ length: r === 0 ? task.clientsPerRoom - 1 : task.clientsPerRoom }, () => make(room))),
    25,
    30_000,
  )

  const attacks = task.attacks ?? [...ATTACKS]
  /** Latencies by the phase the keystroke was typed in. */
  let latencies: number[][] = attacks.map(() => [])
  let delivered = 0
  let measuring = false
  let started = 0
  for (const receiver of honest) {
    const senders = honest.filter((h) => h.room === receiver.room && h !== receiver)
    const cursor = senders.map(() => 0)
    receiver.client.doc.on('update', (_update: Uint8Array, origin: unknown) => {
      if (origin === LOCAL) return
      const now = performance.now()
      senders.forEach((sender, i) => {
        let k = cursor[i]!
        while (k < sender.sent.length && sender.sent[k]![1] <= Y.getState(receiver.client.doc.store, sender.sent[k]![0])) {
          const typedAt = sender.sent[k]![2]
          if (measuring) latencies[phaseAt(typedAt, started, task.durationMs, attacks.length)]!.push(now - typedAt)
          delivered++
          k++
        }
        cursor[i] = k
      })
    })
  }

  const typeOne = (h: Honest): void => {
    const doc = h.client.doc
    const length = h.text.length
    const t = performance.now()
    if (length > 0 && random.bool(0.1)) {
      doc.transact(() => h.text.delete(random.int(0, length - 1), 1), LOCAL)
      return
    }
    const clock = Y.getState(doc.store, doc.clientID)
    const char = LETTERS[random.int(0, LETTERS.length - 1)]!
    doc.transact(() => h.text.insert(random.int(0, length), char), LOCAL)
    h.keys.push([doc.clientID, clock, char])
    h.sent.push([doc.clientID, clock + 1, t])
  }

  const honestNow = (): HonestSnapshot =>
    Object.fromEntries(
      rooms.map((room) => [
        room,
        honest
          .filter((h) => h.room === room)
          .map((h) => ({ clientId: h.client.doc.clientID, clock: Y.getState(h.client.doc.store, h.client.doc.clientID), presenceId: h.client.awareness.clientID })),
      ]),
    )

  await sleep(500)
  const closesBefore = honest.reduce((n, h) => n + h.closes.length, 0)
  await mark('typing-start')
  measuring = true
  started = performance.now()
  const until = started + task.durationMs
  // What the load process itself spends a phase (its CPU, its event loop's delay): if the
  // attackers' side of it is busy, honest latency measured here grows with it.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 })
  loopDelay.enable()
  const phaseLoad: Array<{ cpuMs: number; loopDelayMs: { p99: number; max: number } }> = []
  let cpuAtPhase = process.cpuUsage()
  const endPhase = () => {
    const cpu = process.cpuUsage(cpuAtPhase)
    cpuAtPhase = process.cpuUsage()
    phaseLoad.push({ cpuMs: (cpu.user + cpu.system) / 1000, loopDelayMs: { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 } })
    loopDelay.reset()
  }
  const phaseMs = task.durationMs / attacks.length
  const phaseTimers = attacks.map((attack, i) =>
    setTimeout(() => {
      if (i > 0) endPhase()
      void mark(`phase:${attack}`)
    }, i * phaseMs),
  )
  const period = 1000 / task.keysPerSecond
  const intervals: NodeJS.Timeout[] = []
  const starts = honest.map((h) =>
    setTimeout(() => intervals.push(setInterval(() => performance.now() < until && typeOne(h), period)), random.next() * period),
  )
  side.start({ url: task.url, rooms, bigRoom: rooms[0]!, maxMessageBytes: task.maxMessageBytes, tokenMaxConnections: task.tokenMaxConnections, holdMs: task.holdMs }, honestNow, started, until)
  await sleep(task.durationMs)
  endPhase()
  void mark('phases-end')
  loopDelay.disable()
  for (const timer of phaseTimers) clearTimeout(timer)
  for (const timer of starts) clearTimeout(timer)
  for (const interval of intervals) clearInterval(interval)
  const seconds = (performance.now() - started) / 1000
  // An attack under way at the end finishes (within its hold) before the drain starts.
  const episodes: Episode[] = await side.finished()
  await sleep(task.drainMs)
  measuring = false
  await mark('typing-end')

  // A delivery that never came counts as infinitely late, in the phase its keystroke was typed in.
  let expected = 0
  const expectedByPhase = attacks.map(() => 0)
  for (const h of honest) {
    const receivers = honest.filter((o) => o.room === h.room).length - 1
    expected += h.sent.length * receivers
    for (const [, , at] of h.sent) expectedByPhase[phaseAt(at, started, task.durationMs, attacks.length)]! += receivers
  }
  expectedByPhase.forEach((n, i) => {
    const phase = latencies[i]!
    for (let k = phase.length; k < n; k++) phase.push(Number.POSITIVE_INFINITY)
  })
  const summary = (values: number[]) => ({ p50: quantile(values, 0.5), p99: quantile(values, 0.99), max: max(values) })
  const latencyMs = summary(latencies.flat())
  const phases: HostilePhase[] = attacks.map((attack, i) => ({
    attack,
    deliveries: latencies[i]!.length,
    latencyMs: summary(latencies[i]!),
    loadCpuMs: phaseLoad[i]?.cpuMs ?? Number.NaN,
    loadLoopDelayMs: phaseLoad[i]?.loopDelayMs ?? { p99: Number.NaN, max: Number.NaN },
  }))
  latencies = []

  // Presence an honest attendee shows for another honest id must be that attendee's own.
  let presenceTakenOver = 0
  for (const h of honest) {
    for (const [clientId, state] of h.client.awareness.getStates()) {
      if (honest.some((o) => o.client.awareness.clientID === clientId) && (state as { user?: { name?: string } }).user?.name === 'squatter') presenceTakenOver++
    }
  }
  const records: HonestRecord[] = honest.map((h) => {
    const required: Record<number, number> = {}
    for (const id of new Set(h.keys.map(([id]) => id))) {
      const seen = honest.filter((o) => o.room === h.room && o !== h).reduce((m, o) => Math.max(m, Y.getState(o.client.doc.store, id)), 0)
      required[id] = Math.max(h.acked.get(id) ?? 0, seen)
    }
    return { room: h.room, required, keys: h.keys }
  })
  const honestCloses: Record<string, number> = {}
  for (const h of honest) for (const code of h.closes) honestCloses[code] = (honestCloses[code] ?? 0) + 1
  for (const h of honest) {
    try {
      h.client.destroy()
    } catch {
      // y-websocket 3.1 throws here for a client whose document Yjs gave a new id (its awareness
      // keeps the old one): a client-side consequence of a struct planted at its id.
    }
  }

  const byAttack = {} as HostileResult['byAttack']
  for (const attack of ATTACKS) byAttack[attack] = { episodes: 0, outcomes: {}, variants: {} }
  const unexpected: Array<{ attack: AttackKind; variant: string; outcome: Outcome }> = []
  for (const e of episodes) {
    const entry = byAttack[e.attack]
    entry.episodes++
    for (const outcome of e.outcomes) {
      entry.outcomes[String(outcome)] = (entry.outcomes[String(outcome)] ?? 0) + 1
      const variant = (entry.variants[e.variant.replace(/^\d+ /, 'n ')] ??= {})
      variant[String(outcome)] = (variant[String(outcome)] ?? 0) + 1
      if (!EXPECTED[e.attack].includes(outcome)) unexpected.push({ attack: e.attack, variant: e.variant, outcome })
    }
  }
  return {
    kind: 'hostile',
    keystrokes: honest.reduce((n, h) => n + h.sent.length, 0),
    expected,
    delivered,
    seconds,
    latencyMs,
    phases,
    honestCloses,
    honestClosesBefore: closesBefore,
    byAttack,
    unexpected,
    planted: episodes.flatMap((e) => (e.planted === undefined ? [] : [e.planted])),
    presenceTakenOver,
    honest: records,
  }
}

/** The outcome of checking a restarted server's store against what honest attendees were told. */
export interface StoredCheck {
  /** Keystrokes that had to be in the store (below an attendee's acknowledged or forwarded clock). */
  checked: number
  /** Of them, missing from the store. */
  missing: number
  /** Of them, in the store with other content at their id (a struct planted at that id won). */
  replaced: number
}

/** The character the store holds at (client, clock): a string, `deleted`, or undefined if it has none. */
const charAt = (doc: Y.Doc, client: number, clock: number): string | 'deleted' | undefined => {
  const structs = doc.store.clients.get(client)
  if (structs === undefined || clock >= Y.getState(doc.store, client)) return undefined
  const struct = structs[Y.findIndexSS(structs, clock)]!
  if (!(struct instanceof Y.Item) || struct.deleted) return 'deleted'
  return struct.content instanceof Y.ContentString ? struct.content.str[clock - struct.id.clock] : 'deleted'
}

/**
 * Connects to a (restarted) server and checks that every keystroke an honest attendee saw
 * acknowledged or forwarded is in its room's stored document, with its own content.
 */
export const checkStored = async (url: string, token: string, records: readonly HonestRecord[]): Promise<StoredCheck> => {
  const result: StoredCheck = { checked: 0, missing: 0, replaced: 0 }
  for (const room of new Set(records.map((r) => r.room))) {
    const reader = connectClient({ kind: 'y-websocket', url, room, token, counters: newCounters() })
    try {
      await reader.whenSynced(30_000)
      for (const record of records.filter((r) => r.room === room)) {
        for (const [clientId, clock, char] of record.keys) {
          if (clock >= (record.required[clientId] ?? 0)) continue
          result.checked++
          const stored = charAt(reader.doc, clientId, clock)
          if (stored === undefined) result.missing++
          else if (stored !== 'deleted' && stored !== char) result.replaced++
        }
      }
    } finally {
      reader.destroy()
    }
  }
  return result
}
