import { readFileSync } from 'node:fs'

/** CPU time and resident memory of a process, read from /proc (Linux), for any server we start. */
export interface ProcSample {
  /** utime + stime, milliseconds. */
  cpuMs: number
  /** stime alone (time in the kernel: socket writes, fsync bookkeeping), milliseconds. */
  systemMs: number
  /** VmRSS, bytes. */
  rssBytes: number
  /** VmHWM, bytes: the most resident memory the process has had since it started. */
  peakRssBytes: number
  /** performance.now() when sampled. */
  at: number
}

const CLOCK_TICKS_PER_SECOND = 100 // USER_HZ on Linux

export const sampleProcess = (pid: number): ProcSample => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // The command name is in parentheses and may contain spaces: fields start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // Fields after the name are numbered from 3 (state); utime is 14 and stime 15.
  const utime = Number(fields[14 - 3])
  const stime = Number(fields[15 - 3])
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)\\s+kB`).exec(status)?.[1] ?? Number.NaN) * 1024
  return { cpuMs: ((utime + stime) * 1000) / CLOCK_TICKS_PER_SECOND, systemMs: (stime * 1000) / CLOCK_TICKS_PER_SECOND, rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM'), at: performance.now() }
}
