/** One line per step on stderr, with the time since the run started. */
const started = Date.now()

export const progress = (message: string): void => {
  const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(6)
  process.stderr.write(`[bench ${seconds}s] ${message}\n`)
}
