/**
 * A load process: runs one task (bench/load/task.ts) received on its command line and
 * answers with its result over IPC. The harness starts one per measurement, so the clients'
 * CPU never counts against a server.
 */
import { runFanout } from './fanout'
import { runHostile } from './hostile'
import { runPresence } from './presence'
import { runIdle, runManyRooms } from './rooms'
import type { HarnessMessage, LoadResult, LoadTask, WorkerMessage } from './task'

const send = (message: WorkerMessage): Promise<void> => new Promise((resolve) => process.send!(message, () => resolve()))

const mark = (name: string): Promise<void> =>
  new Promise((resolve) => {
    const onMessage = (message: HarnessMessage) => {
      if (message.type !== 'ack') return
      process.off('message', onMessage)
      resolve()
    }
    process.on('message', onMessage)
    void send({ type: 'mark', name })
  })

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
      return runHostile(task, mark)
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
