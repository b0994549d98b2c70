import { join } from 'node:path'
import type { HarnessMessage, LoadResult, LoadTask, WorkerMessage } from '../load/task'
import { spawnChild, stopChild } from './children'
import { ROOT } from './servers'

/** What the harness answers a mark with: nothing but the ack, or what the mark waited for. */
type MarkAnswer = void | Omit<HarnessMessage & { type: 'ack' }, 'type' | 'name'>

export interface LoadProcess<R> {
  result: Promise<R>
  /** Sends a message to the load process (ignored once it has ended). */
  send(message: HarnessMessage): void
}

/**
 * Runs one task in a fresh load process. `onMark` runs at each of the worker's marks (the
 * harness samples the server there) before the worker continues. Bounded by `timeoutMs`.
 */
export const runLoad = <R extends LoadResult>(task: LoadTask, onMark: (name: string) => MarkAnswer | Promise<MarkAnswer>, timeoutMs: number): Promise<R> =>
  startLoad<R>(task, onMark, timeoutMs).result

/** `runLoad`, with a way to talk to the process; `onMessage` gets what else it sends (hostile attendees). */
export const startLoad = <R extends LoadResult>(
  task: LoadTask,
  onMark: (name: string) => MarkAnswer | Promise<MarkAnswer>,
  timeoutMs: number,
  onMessage: (message: WorkerMessage) => void = () => {},
): LoadProcess<R> => {
  let child: ReturnType<typeof spawnChild> | undefined
  const result = new Promise<R>((resolve, reject) => {
    // The task travels on the command line; the room content of the idle task is a few KB.
    const spawned = spawnChild(process.execPath, ['--import', 'tsx', join('bench', 'load', 'worker.ts'), JSON.stringify(task)], {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    })
    child = spawned
    let stderr = ''
    spawned.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4_000)
    })
    let settled = false
    const finish = (error: Error | null, result?: R) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      void stopChild(spawned, 'SIGKILL').then(() => (error === null ? resolve(result!) : reject(error)))
    }
    const timer = setTimeout(() => finish(new Error(`load process (${task.kind}) did not finish within ${timeoutMs} ms`)), timeoutMs)
    spawned.on('message', (message: WorkerMessage) => {
      switch (message.type) {
        case 'mark':
          void Promise.resolve(onMark(message.name)).then((answer) => {
            if (spawned.connected) spawned.send({ type: 'ack', name: message.name, ...(answer ?? {}) } satisfies HarnessMessage)
          })
          break
        case 'result':
          finish(null, message.result as R)
          break
        case 'error':
          finish(new Error(`load process (${task.kind}) failed: ${message.message}`))
          break
        default:
          onMessage(message)
      }
    })
    spawned.once('exit', (code) => finish(new Error(`load process (${task.kind}) exited with ${code}: ${stderr}`)))
  })
  return {
    result,
    send: (message) => {
      if (child !== undefined && child.connected) child.send(message)
    },
  }
}
