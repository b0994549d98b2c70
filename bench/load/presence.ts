import { connectAll, connectClient, newCounters, sleep } from './clients'
import type { PresenceResult, PresenceTask } from './task'

/**
 * Benchmark 6: N attendees idle in one room, then some of them moving their cursors. The
 * frames the clients send are the server's messages in; the frames they receive, its out.
 */
export const runPresence = async (task: PresenceTask, mark: (name: string) => Promise<void>): Promise<PresenceResult> => {
  const counters = newCounters()
  const clients = await connectAll(
    Array.from({ length: task.attendees }, () => () => connectClient({ kind: task.client, url: task.url, token: task.token, counters, room: 'presence-room' })),
    25,
    30_000,
  )
  clients.forEach((client, i) => client.awareness.setLocalStateField('user', { name: `Attendee ${i + 1}`, color: '#3366cc' }))
  await sleep(1_000)

  await mark('idle-start')
  const idle0 = { ...counters }
  await sleep(task.idleMs)
  const idle = { inPerSecond: ((counters.sent - idle0.sent) * 1000) / task.idleMs, outPerSecond: ((counters.received - idle0.received) * 1000) / task.idleMs }
  await mark('idle-end')

  const moving0 = { ...counters }
  const movers = clients.slice(0, task.movers)
  // Every mover on its own phase, as people move independently.
  const period = 1000 / task.hz
  const intervals: NodeJS.Timeout[] = []
  const starts = movers.map((client, i) =>
    setTimeout(() => {
      let position = 0
      intervals.push(setInterval(() => client.awareness.setLocalStateField('cursor', { anchor: ++position, head: position }), period))
    }, (i * period) / Math.max(1, movers.length)),
  )
  await sleep(task.movingMs)
  for (const timer of starts) clearTimeout(timer)
  for (const interval of intervals) clearInterval(interval)
  const moving = { inPerSecond: ((counters.sent - moving0.sent) * 1000) / task.movingMs, outPerSecond: ((counters.received - moving0.received) * 1000) / task.movingMs }
  await mark('moving-end')
  for (const client of clients) client.destroy()
  return { kind: 'presence', idle, moving }
}
