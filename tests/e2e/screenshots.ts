import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Where e2e tests put screenshots to look at: `MINUTES_SCREENSHOT_DIR`, or a fresh temporary directory. */
export const screenshotDir = (): string => {
  const dir = process.env.MINUTES_SCREENSHOT_DIR ?? mkdtempSync(join(tmpdir(), 'minutes-screens-'))
  mkdirSync(dir, { recursive: true })
  return dir
}
