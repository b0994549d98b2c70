/**
 * End-to-end harness: the built extension in Debian's Chromium, one persistent profile per
 * attendee, against the real sync server running in its own process.
 *
 * Every launcher registers its own teardown with `onTestFinished`, so a test only creates
 * what it needs and nothing outlives it (a Chromium or a server left behind would hold a
 * port or two of this machine's two cores).
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core'
import { onTestFinished } from 'vitest'
import { encodeJoinCode } from '../../src/join-code'
import { makeToken, startServerProcess, type ServerProcess } from '../helpers/server'

const ROOT = resolve(import.meta.dirname, '../..')
export const EXTENSION_DIR = join(ROOT, '.output/chrome-mv3')
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

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
    page.on('pageerror', (error) => console.error(`[panel ${extensionId.slice(0, 6)}] ${error.stack ?? error.message}`))
    await page.goto(`chrome-extension://${extensionId}/sidepanel.html`)
    return page
  }
  // The persistent context starts with one blank tab; the panel gets a tab of its own.
  const page = await openPanel()
  return { context, page, extensionId, serviceWorker, userDataDir, openPanel, close }
}

export interface RunningServer {
  url: string
  port: number
  dataDir: string
  /** SIGKILLs the server's whole process group: no wrapper survives holding the port. */
  kill(): Promise<void>
  /** Starts the server again on the same port and data directory (after `kill`). */
  restart(): Promise<void>
}

/** Starts the real sync server (SQLite store) as a process of its own (tests/helpers/server.ts). */
export const startServer = async (): Promise<RunningServer> => {
  const dataDir = freshDir('minutes-server-')
  let running: ServerProcess = await startServerProcess(['--data', dataDir])
  const port = running.port
  onTestFinished(() => running.kill9())
  return {
    url: running.url,
    port,
    dataDir,
    kill: () => running.kill9(),
    restart: async () => {
      await running.kill9()
      // A later --port overrides the helper's --port 0: the panel reconnects to the same URL.
      running = await startServerProcess(['--data', dataDir, '--port', String(port)])
    },
  }
}

/** A join code for `space` on `server`, as `npm run token` would print it. */
export const createJoinCode = async (server: { url: string }, space: string, ttlSeconds = 3600): Promise<string> => {
  const token = await makeToken({ room: `${space}/*`, role: 'editor', ttlSeconds })
  return encodeJoinCode({ server: server.url, space, token })
}

const execFileAsync = promisify(execFile)

/**
 * A member of `space` and their personal join code, made with `npm run invite` against the
 * running server's store, as an operator would (the member key only ever in the code).
 */
export const createMemberCode = async (
  server: RunningServer,
  space: string,
  member: { name: string; role: 'owner' | 'editor' | 'viewer' },
): Promise<{ id: string; joinCode: string }> => {
  const { stdout } = await execFileAsync(
    process.execPath,
    [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'sync-server', 'invite-cli.ts'), '--data', server.dataDir, '--space', space, '--name', member.name, '--role', member.role, '--public-url', server.url, '--json'],
    { cwd: ROOT },
  )
  const printed = JSON.parse(stdout) as { member: { id: string }; joinCode: string }
  return { id: printed.member.id, joinCode: printed.joinCode }
}

let spaceCounter = 0
/** A space id no other test uses (each test may share one server data dir between restarts). */
export const uniqueSpace = (): string => `e2e-${process.pid}-${Date.now().toString(36)}-${++spaceCounter}`
