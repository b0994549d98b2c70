/**
 * End-to-end harness: the built extension in Debian's Chromium, one persistent profile per
 * attendee, against the real sync server running in its own process.
 *
 * Every launcher registers its own teardown with `onTestFinished`, so a test only creates
 * what it needs and nothing outlives it (a Chromium or a server left behind would hold a
 * port or two of this machine's two cores).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core'
import { onTestFinished } from 'vitest'
import { encodeJoinCode } from '../../src/join-code'
import { signToken } from '../../sync-server/tokens'

const ROOT = resolve(import.meta.dirname, '../..')
export const EXTENSION_DIR = join(ROOT, '.output/chrome-mv3')
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const TEST_SECRET = 'e2e-secret-that-is-long-enough-for-hs256-0123456789'

/** Fails with a message that says what to do, instead of Chromium's silence about a missing extension. */
export const assertExtensionBuilt = (): void => {
  if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(`No built extension in ${EXTENSION_DIR}: run \`npx wxt build\` before the e2e tests.`)
  }
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: \`apt-get install -y chromium\` or set CHROMIUM_PATH.`)
  }
}

const freshDir = (prefix: string): string => {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

export interface Attendee {
  context: BrowserContext
  /** The panel page, `chrome-extension://<id>/sidepanel.html` in an ordinary tab. */
  page: Page
  extensionId: string
  serviceWorker: Worker
  userDataDir: string
  /** Opens another panel page in the same profile (same IndexedDB). */
  openPanel(): Promise<Page>
  /** Closes the browser of this profile; its user-data directory stays for a relaunch. */
  close(): Promise<void>
}

export interface AttendeeOptions {
  /** `sv` passes `--lang=sv`, which is what `browser.i18n.getUILanguage()` follows. */
  lang?: 'en' | 'sv'
  /** Relaunch an earlier profile (its IndexedDB) instead of a fresh one. */
  userDataDir?: string
  viewport?: { width: number; height: number }
}

/** Launches Chromium with the built extension in a profile of its own: one attendee. */
export const launchAttendee = async (options: AttendeeOptions = {}): Promise<Attendee> => {
  assertExtensionBuilt()
  const userDataDir = options.userDataDir ?? freshDir('minutes-profile-')
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: options.viewport ?? { width: 400, height: 900 },
    args: [
      '--no-sandbox',
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-gpu',
      `--lang=${options.lang ?? 'en'}`,
    ],
  })
  let closed = false
  const close = async (): Promise<void> => {
    if (closed) return
    closed = true
    await context.close()
  }
  onTestFinished(close)

  const serviceWorker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'))
  const extensionId = new URL(serviceWorker.url()).host
  const openPanel = async (): Promise<Page> => {
    const page = await context.newPage()
    page.on('pageerror', (error) => console.error(`[panel ${extensionId.slice(0, 6)}] ${error.message}`))
    await page.goto(`chrome-extension://${extensionId}/sidepanel.html`)
    return page
  }
  // The persistent context starts with one blank tab; the panel gets a tab of its own.
  const page = await openPanel()
  return { context, page, extensionId, serviceWorker, userDataDir, openPanel, close }
}

export interface ServerProcess {
  url: string
  port: number
  dataDir: string
  /** SIGKILLs the server's whole process group: no wrapper survives holding the port. */
  kill(): Promise<void>
  /** Starts the server again on the same port and data directory. */
  restart(): Promise<void>
}

const spawnServer = async (
  port: number,
  dataDir: string,
): Promise<{ child: ChildProcess; port: number; url: string }> => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'sync-server/main.ts', '--host', '127.0.0.1', '--port', String(port), '--data', dataDir],
    {
      cwd: ROOT,
      env: { ...process.env, MINUTES_SECRET: TEST_SECRET },
      // Its own process group, so kill(-pid) reaches everything it started.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const lines = createInterface({ input: child.stdout! })
  try {
    return await new Promise((resolvePromise, reject) => {
      child.once('exit', (code) => reject(new Error(`sync server exited with ${code} before listening:\n${stderr}`)))
      lines.on('line', (line) => {
        try {
          const entry = JSON.parse(line) as { msg?: string; port?: number; url?: string }
          if (entry.msg === 'listening' && typeof entry.port === 'number' && typeof entry.url === 'string') {
            resolvePromise({ child, port: entry.port, url: entry.url })
          }
        } catch {
          // Not a JSON log line; the server prints only JSON, but a warning from Node may not be.
        }
      })
    })
  } finally {
    // Keep draining stdout so the child never blocks on a full pipe.
    lines.removeAllListeners('line')
    child.stdout?.resume()
  }
}

const killGroup = async (child: ChildProcess): Promise<void> => {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  try {
    process.kill(-child.pid!, 'SIGKILL')
  } catch {
    // Already gone.
  }
  await exited
}

/** Starts the real sync server (SQLite store) in its own process group. */
export const startServer = async (): Promise<ServerProcess> => {
  const dataDir = freshDir('minutes-server-')
  let running = await spawnServer(0, dataDir)
  const port = running.port
  const server: ServerProcess = {
    url: running.url,
    port,
    dataDir,
    kill: () => killGroup(running.child),
    restart: async () => {
      await killGroup(running.child)
      running = await spawnServer(port, dataDir)
    },
  }
  onTestFinished(() => killGroup(running.child))
  return server
}

/** A join code for `space` on `server`, as `npm run token` would print it. */
export const createJoinCode = async (server: { url: string }, space: string, ttlSeconds = 3600): Promise<string> => {
  const token = await signToken(TEST_SECRET, { room: `${space}/*`, role: 'editor', ttlSeconds })
  return encodeJoinCode({ server: server.url, space, token })
}

let spaceCounter = 0
/** A space id no other test uses (each test may share one server data dir between restarts). */
export const uniqueSpace = (): string => `e2e-${process.pid}-${Date.now().toString(36)}-${++spaceCounter}`
