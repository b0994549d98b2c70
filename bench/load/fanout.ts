import * as Y from 'yjs'
import { keystrokes, loadTrace, type Patch } from '../lib/traces'
import { max, quantile } from '../lib/stats'
import { connectAll, connectClient, newCounters, sleep, type BenchClient } from './clients'
import type { FanoutResult, FanoutTask } from './task'

const LOCAL = Symbol('bench-local-typing')

interface Typist {
  client: BenchClient
  text: Y.Text
  /** Keystrokes that inserted: the sender's clock after the keystroke, and when it was typed. */
  clocks: number[]
  times: number[]
  next: number
  lastCursorAt: number
}

/**
 * R rooms × C attendees typing a real trace, one update a keystroke, with cursor updates.
 * Latency is keystroke to every other attendee of the room, measured in this process (one
 * clock): each sender records its clock after a keystroke; a receiver's document update
 * that advances its view of a sender's clock delivers every keystroke up to it.
 */
export const runFanout = async (task: FanoutTask, mark: (name: string) => Promise<void>): Promise<FanoutResult> => {
  const patches: Patch[] = keystrokes(loadTrace('sequential-seph-blog1'))
  const counters = newCounters()
  const make: Array<() => BenchClient> = []
  for (let r = 0; r < task.rooms; r++) {
    for (let c = 0; c < task.clientsPerRoom; c++) {
      const url = task.urls === undefined ? task.url : task.urls[c % task.urls.length]!
      make.push(() => connectClient({ kind: task.client, url, room: `fanout-${task.seed}-${r}`, token: task.token, counters }))
    }
  }
  const clients = await connectAll(make, 50, 20_000)
  const rooms: Typist[][] = []
  for (let r = 0; r < task.rooms; r++) {
    rooms.push(
      clients.slice(r * task.clientsPerRoom, (r + 1) * task.clientsPerRoom).map((client, c) => ({
        client,
        text: client.doc.getText('minutes'),
        clocks: [],
        times: [],
        // Every attendee types a different stretch of the trace.
        next: ((r * task.clientsPerRoom + c) * 997) % patches.length,
        lastCursorAt: 0,
      })),
    )
  }

  const latencies: number[] = []
  let delivered = 0
  for (const room of rooms) {
    for (const receiver of room) {
      const senders = room.filter((t) => t !== receiver)
      const seen = senders.map(() => 0)
      const cursor = senders.map(() => 0)
      receiver.client.doc.on('update', (_update: Uint8Array, origin: unknown) => {
        if (origin === LOCAL) return
        const now = performance.now()
        senders.forEach((sender, i) => {
          const state = Y.getState(receiver.client.doc.store, sender.client.doc.clientID)
          if (state <= seen[i]!) return
          seen[i] = state
          let k = cursor[i]!
          while (k < sender.clocks.length && sender.clocks[k]! <= state) {
            latencies.push(now - sender.times[k]!)
            delivered++
            k++
          }
          cursor[i] = k
        })
      })
    }
  }

  const typeOne = (typist: Typist): void => {
    const [position, deleted, inserted] = patches[typist.next]!
    typist.next = (typist.next + 1) % patches.length
    const length = typist.text.length
    const at = Math.min(position, length)
    const doc = typist.client.doc
    const before = Y.getState(doc.store, doc.clientID)
    const t = performance.now()
    doc.transact(() => {
      const del = Math.min(deleted, length - at)
      if (del > 0) typist.text.delete(at, del)
      if (inserted !== '') typist.text.insert(at, inserted)
    }, LOCAL)
    const after = Y.getState(doc.store, doc.clientID)
    if (after > before) {
      typist.clocks.push(after)
      typist.times.push(t)
    }
    if (task.cursorHz > 0 && t - typist.lastCursorAt >= 1000 / task.cursorHz) {
      typist.lastCursorAt = t
      const head = at + inserted.length
      typist.client.awareness.setLocalStateField('cursor', { anchor: head, head })
    }
  }

  await sleep(500)
  await mark('typing-start')
  const frames0 = { ...counters }
  const started = performance.now()
  let typed = 0
  const period = 1000 / task.keysPerSecond
  const timers: NodeJS.Timeout[] = []
  const intervals: NodeJS.Timeout[] = []
  for (const typist of rooms.flat()) {
    timers.push(
      setTimeout(() => {
        intervals.push(
          setInterval(() => {
            if (performance.now() - started >= task.durationMs) return
            typeOne(typist)
            typed++
          }, period),
        )
      }, Math.random() * period),
    )
  }
  await sleep(task.durationMs)
  for (const timer of timers) clearTimeout(timer)
  for (const interval of intervals) clearInterval(interval)
  const seconds = (performance.now() - started) / 1000
  await sleep(task.drainMs)
  await mark('typing-end')

  let measured = 0
  let expected = 0
  for (const room of rooms) {
    for (const typist of room) {
      measured += typist.clocks.length
      expected += typist.clocks.length * (room.length - 1)
    }
  }
  // A keystroke that never arrived counts as infinitely late: p99 shows the loss.
  for (let i = delivered; i < expected; i++) latencies.push(Number.POSITIVE_INFINITY)
  for (const client of clients) client.destroy()
  return {
    kind: 'fanout',
    keystrokes: typed,
    measured,
    expected,
    delivered,
    seconds,
    latencyMs: { p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), max: max(latencies) },
    frames: { sent: counters.sent - frames0.sent, received: counters.received - frames0.received },
  }
}
