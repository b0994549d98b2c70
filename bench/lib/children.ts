import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process'

/**
 * Every process the harness starts, each in its own process group, so that stopping one
 * stops whatever it started too (tsx, a Chromium). `killAll` runs on exit, on failure and
 * on SIGINT/SIGTERM: nothing outlives the harness holding a port or a core.
 */
const running = new Set<ChildProcess>()

export const spawnChild = (command: string, args: string[], options: SpawnOptions): ChildProcess => {
  const child = spawn(command, args, { ...options, detached: true })
  running.add(child)
  child.once('exit', () => running.delete(child))
  return child
}

export const isRunning = (child: ChildProcess): boolean => child.exitCode === null && child.signalCode === null

/** Sends `signal` to the child's process group; resolves when it exits (SIGKILL after `graceMs`). */
export const stopChild = async (child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 5_000): Promise<void> => {
  if (!isRunning(child)) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const kill = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig)
    } catch {
      // already gone
    }
  }
  kill(signal)
  const timer = setTimeout(() => kill('SIGKILL'), graceMs)
  await exited
  clearTimeout(timer)
}

export const killAll = (): void => {
  for (const child of running) {
    try {
      process.kill(-child.pid!, 'SIGKILL')
    } catch {
      // already gone
    }
  }
  running.clear()
}

let installed = false
/** Installs the exit and signal handlers once. */
export const killChildrenOnExit = (): void => {
  if (installed) return
  installed = true
  process.on('exit', killAll)
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`[bench] ${signal}: stopping every child process\n`)
      killAll()
      process.exit(130)
    })
  }
}
