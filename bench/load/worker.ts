/**
 * A load process: runs one task (bench/load/task.ts) received on its command line and
 * answers with its result over IPC. The harness starts one per measurement, so the clients'
 * CPU never counts against a server.
 */
import { runFanout } from './fanout'
import type { Episode } from './attacks'
import { runAttackers, runBurner, runHostile, type AttackerSide } from './hostile'
import { runPresence } from './presence'
import { runIdle, runManyRooms } from './rooms'
import type { HarnessMessage, HonestSnapshot, HostileTask, LoadResult, LoadTask, WorkerMessage } from './task'

const send = (message: WorkerMessage): Promise<void> => new Promise((resolve) => process.send!(message, () => resolve()))

/** Sends a mark and waits for the harness's ack (which may carry what the mark waited for). */
const request = (name: string): Promise<HarnessMessage & { type: 'ack' }> =>
  new Promise((resolve) => {
    const onMessage = (message: HarnessMessage) => {
      if (message.type !== 'ack' || message.name !== name) return
      process.off('message', onMessage)
      resolve(message)
    }
    process.on('message', onMessage)
    void send({ type: 'mark', name })
  })

const mark = async (name: string): Promise<void> => void (await request(name))

/** The latest honest attendees the harness relayed (the attackers' process only). */
let honest: HonestSnapshot = {}
process.on('message', (message: HarnessMessage) => {
  if (message.type === 'honest') honest = message.honest
})

const SHARE_EVERY_MS = 200

/**
 * The attackers in a process of their own (`attackersApart`): this process tells the harness
 * who the honest attendees are every `SHARE_EVERY_MS`, and at the end waits (mark
 * `attacks-end`) for the episodes, which the harness hands over in its ack.
 */
const attackersApart = (): AttackerSide => {
  let sharing: NodeJS.Timeout | undefined
  return {
    start: (_config, honestNow) => {
      const share = () => void send({ type: 'honest', honest: honestNow() })
      share()
      sharing = setInterval(share, SHARE_EVERY_MS)
    },
    finished: async (): Promise<Episode[]> => {
      clearInterval(sharing)
      return (await request('attacks-end')).episodes ?? []
    },
  }
}

const hostile = (task: HostileTask) => runHostile(task, mark, task.attackersApart === true ? attackersApart() : undefined)

const run = (task: LoadTask): Promise<LoadResult> => {
  switch (task.kind) {
    case 'fanout':
      return runFanout(task, mark)
    case 'idle':
      return runIdle(task, mark)
    case 'many-rooms':
      return runManyRooms(task, mark)
    case 'presence':
      return runPresence(task, mark)
    case 'hostile':
      return hostile(task)
    case 'attackers':
      return runAttackers(task, mark, () => honest)
    case 'burn':
      return runBurner(task, mark)
  }
}

const task = JSON.parse(process.argv[2] ?? '{}') as LoadTask
run(task).then(
  async (result) => {
    await send({ type: 'result', result })
    process.exit(0)
  },
  async (error: unknown) => {
    await send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) })
    process.exit(1)
  },
)
