import { join } from 'node:path'
import type { HarnessMessage, LoadResult, LoadTask, WorkerMessage } from '../load/task'
import { spawnChild, stopChild } from './children'
import { ROOT } from './servers'

/**
 * Runs one task in a fresh load process. `onMark` runs at each of the worker's marks (the
 * harness samples the server there) before the worker continues. Bounded by `timeoutMs`.
 */
export const runLoad = <R extends LoadResult>(task: LoadTask, onMark: (name: string) => void | Promise<void>, timeoutMs: number): Promise<R> =>
  new Promise((resolve, reject) => {
    // The task travels on the command line; the room content of the idle task is a few KB.
    const child = spawnChild(process.execPath, ['--import', 'tsx', join('bench', 'load', 'worker.ts'), JSON.stringify(task)], {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    })
    let stderr = ''
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4_000)
    })
    let settled = false
    const finish = (error: Error | null, result?: R) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      void stopChild(child, 'SIGKILL').then(() => (error === null ? resolve(result!) : reject(error)))
    }
    const timer = setTimeout(() => finish(new Error(`load process (${task.kind}) did not finish within ${timeoutMs} ms`)), timeoutMs)
    child.on('message', (message: WorkerMessage) => {
      switch (message.type) {
        case 'mark':
          void Promise.resolve(onMark(message.name)).then(() => child.send({ type: 'ack' } satisfies HarnessMessage))
          break
        case 'result':
          finish(null, message.result as R)
          break
        case 'error':
          finish(new Error(`load process (${task.kind}) failed: ${message.message}`))
          break
      }
    })
    child.once('exit', (code) => finish(new Error(`load process (${task.kind}) exited with ${code}: ${stderr}`)))
  })
