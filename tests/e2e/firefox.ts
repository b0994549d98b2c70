/**
 * End-to-end driver for Firefox: the Firefox build (`.output/firefox-mv2`) in Debian's
 * `firefox-esr`, driven over raw WebDriver BiDi on a WebSocket (`ws`), no geckodriver and no
 * Playwright/Puppeteer build of Firefox.
 *
 * What Firefox needs, found out on Firefox ESR 153:
 * - `--remote-debugging-port=0` starts the BiDi server, which says on stderr where it listens;
 *   `--remote-allow-system-access` lets `script.evaluate` run in the browser's own (chrome)
 *   window, which is how the panel page gets opened (below).
 * - `webExtension.install` with the build directory installs it as a temporary add-on, which
 *   needs no signature (no `xpinstall.signatures.required` pref either). It is gone when
 *   Firefox quits: a test that needs the same IndexedDB reopens the panel page in the same
 *   browser.
 * - BiDi refuses to navigate a tab to `moz-extension://`, and so does a page script. The
 *   browser window (chrome scope) opens the panel page in a tab with the system principal;
 *   from then on that tab is an ordinary BiDi browsing context.
 * - The extension's UUID (the host of its `moz-extension://` URLs, and so the origin of its
 *   IndexedDB) is random per profile unless the pref `extensions.webextensions.uuids` fixes it.
 * - The page's `ws://` socket to the server needs nothing: MV2's default CSP has no connect-src.
 * - BiDi's `log.entryAdded` never reports extension pages (Bug 1755014): a process script
 *   collects their console errors and uncaught errors instead (LOG_COLLECTOR).
 * - Firefox's own sidebar (`sidebar_action`) shows the same page, but in a browser nested in
 *   the browser window, which BiDi does not list: `openSidebar` opens it and reads it through
 *   a frame script; the tests drive the page in a tab.
 * - Swedish: an add-on's `i18n` follows Firefox's app locale, which is `intl.locale.requested`
 *   negotiated against the locales Firefox has. Debian's firefox-esr has only en-US until a
 *   language pack is installed (`apt-get install firefox-esr-l10n-sv-se`); without one, the
 *   driver makes `sv` an available locale from the chrome scope before installing the add-on
 *   (what a language pack does, minus Firefox's own translated UI).
 *
 * Every launch registers its teardown with `onTestFinished`: the whole process group is
 * SIGKILLed and the profile directory removed.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { onTestFinished } from 'vitest'
import { WebSocket } from 'ws'

const ROOT = resolve(import.meta.dirname, '../..')
export const FIREFOX_EXTENSION_DIR = join(ROOT, '.output/firefox-mv2')
const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr'
/** The gecko id in wxt.config.ts. */
export const FIREFOX_EXTENSION_ID = 'minutes@minutes.invalid'
/** Fixed with `extensions.webextensions.uuids`, so every profile's panel has the same origin. */
export const FIREFOX_EXTENSION_UUID = '6d1b8f0e-3c4a-4e59-9a21-7f0c2b5e8d13'
const PANEL_URL = `moz-extension://${FIREFOX_EXTENSION_UUID}/sidepanel.html`
const COMMAND_TIMEOUT_MS = 30_000

/**
 * A process script (it runs in every content process, the add-on's included): console calls
 * and script errors of `moz-extension://` pages, sent to the parent with the tab they came from.
 */
const LOG_COLLECTOR = `
if (Services.appinfo.processType !== Services.appinfo.PROCESS_TYPE_DEFAULT) {
  const forward = (type, level, text, innerWindowId, fallbackUrl) => {
    let windowGlobal = null
    try { windowGlobal = WindowGlobalChild.getByInnerWindowId(Number(innerWindowId)) } catch {}
    const url = windowGlobal?.documentURI?.spec ?? fallbackUrl ?? ''
    if (!url.startsWith('moz-extension://')) return
    sendAsyncMessage('minutes-e2e:log', { type, level, text, url, browserId: windowGlobal?.browsingContext?.top?.browserId ?? null })
  }
  const describe = (value) => {
    try {
      if (typeof value === 'string') return value
      if (value !== null && typeof value === 'object' && 'stack' in value) return String(value) + '\\n' + value.stack
      return JSON.stringify(value) ?? String(value)
    } catch { return String(value) }
  }
  Cc['@mozilla.org/consoleAPI-storage;1'].getService(Ci.nsIConsoleAPIStorage).addLogEventListener(
    (event) => forward('console', event.level, Array.from(event.arguments ?? [], describe).join(' '), event.innerID, event.filename),
    Services.scriptSecurityManager.getSystemPrincipal(),
  )
  Services.console.registerListener({
    observe(message) {
      if (!(message instanceof Ci.nsIScriptError)) return
      const level = message.flags & Ci.nsIScriptError.warningFlag ? 'warn' : 'error'
      forward('javascript', level, message.errorMessage, message.innerWindowID, message.sourceName)
    },
  })
}
`

/** Fails with a message that says what to do. */
export const assertFirefoxReady = (): void => {
  if (!existsSync(FIREFOX)) {
    throw new Error(`No Firefox at ${FIREFOX}: \`apt-get install -y firefox-esr\` or set FIREFOX_PATH.`)
  }
  if (!existsSync(join(FIREFOX_EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(`No Firefox build in ${FIREFOX_EXTENSION_DIR}: run \`npx wxt build -b firefox\` before these tests.`)
  }
}

// ---------------------------------------------------------------------------------------------
// BiDi over a WebSocket

class Bidi {
  private nextId = 0
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>()

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as {
        id?: number
        type: 'success' | 'error' | 'event'
        result?: unknown
        error?: string
        message?: string
      }
      // No events are subscribed to (see LOG_COLLECTOR for why not log.entryAdded).
      if (message.type === 'event') return
      const waiting = message.id === undefined ? undefined : this.pending.get(message.id)
      if (waiting === undefined) return
      this.pending.delete(message.id!)
      if (message.type === 'error') waiting.reject(new Error(`${message.error}: ${message.message}`))
      else waiting.resolve(message.result)
    })
    socket.on('close', () => {
      for (const waiting of this.pending.values()) waiting.reject(new Error('the BiDi connection closed'))
      this.pending.clear()
    })
  }

  static connect = (url: string): Promise<Bidi> =>
    new Promise((resolve, reject) => {
      const socket = new WebSocket(url)
      socket.once('open', () => resolve(new Bidi(socket)))
      socket.once('error', reject)
    })

  send = <T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = ++this.nextId
      const timer = setTimeout(() => {
        this.pending.delete(id)
        reject(new Error(`BiDi ${method} got no answer within ${COMMAND_TIMEOUT_MS} ms`))
      }, COMMAND_TIMEOUT_MS)
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer)
          resolve(value as T)
        },
        reject: (error) => {
          clearTimeout(timer)
          reject(new Error(`${method}: ${error.message}`))
        },
      })
      this.socket.send(JSON.stringify({ id, method, params }))
    })

  close = (): void => this.socket.terminate()
}

interface RemoteValue {
  type: string
  value?: unknown
}

type EvaluateResult =
  | { type: 'success'; result: RemoteValue }
  | { type: 'exception'; exceptionDetails: { text: string; stackTrace?: unknown } }

const unwrap = (where: string, answer: EvaluateResult): unknown => {
  if (answer.type === 'exception') throw new Error(`script in ${where} threw: ${answer.exceptionDetails.text}`)
  // Every page function answers with a JSON string (see `evaluate`), chrome expressions too.
  const { result } = answer
  if (result.type === 'undefined' || result.type === 'null') return undefined
  if (result.type !== 'string') throw new Error(`script in ${where} answered a ${result.type}, not JSON`)
  return JSON.parse(result.value as string) as unknown
}

// ---------------------------------------------------------------------------------------------
// Keys (WebDriver key values) and polling

const KEYS: Record<string, string> = {
  Control: '\uE009',
  Shift: '\uE008',
  Alt: '\uE00A',
  Enter: '\uE007',
  Tab: '\uE004',
  Backspace: '\uE003',
  Escape: '\uE00C',
  End: '\uE010',
  Home: '\uE011',
  ArrowLeft: '\uE012',
  ArrowUp: '\uE013',
  ArrowRight: '\uE014',
  ArrowDown: '\uE015',
  Delete: '\uE017',
}

const keyValue = (name: string): string => {
  const value = KEYS[name] ?? name
  if ([...value].length !== 1) throw new Error(`unknown key ${name}`)
  return value
}

export interface WaitOptions {
  timeout?: number
  /** Said in the error when the wait times out. */
  message?: string
}

/** Polls `check` until it answers something truthy, and returns that. */
export const waitUntil = async <T>(check: () => Promise<T> | T, options: WaitOptions = {}): Promise<NonNullable<T>> => {
  const timeout = options.timeout ?? 20_000
  const deadline = Date.now() + timeout
  let lastError: unknown
  let last: T | undefined
  for (;;) {
    try {
      last = await check()
      if (last) return last as NonNullable<T>
    } catch (error) {
      lastError = error
    }
    if (Date.now() > deadline) {
      const detail = lastError instanceof Error ? `; last error: ${lastError.message}` : `; last answer: ${JSON.stringify(last)}`
      throw new Error(`${options.message ?? 'condition'} not met within ${timeout} ms${detail}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

// ---------------------------------------------------------------------------------------------
// The panel page in a tab

export interface LogEntry {
  /** `console` for console.* calls, `javascript` for uncaught errors and unhandled rejections. */
  type: 'console' | 'javascript'
  level: string
  text: string
  /** The address of the page that logged it. */
  url: string
  /** The tab (`<browser>`) of that page; null when Firefox could not tell. */
  browserId: number | null
}

export interface ElementQuery {
  /** Only elements whose innerText contains this. */
  hasText?: string
}

export interface FirefoxPanel {
  /** The BiDi browsing context of the tab. */
  context: string
  /**
   * Runs `fn` in the page (the extension's page realm, `browser` included) and returns its
   * JSON-serialisable answer. `fn` is sent as source text: it may not close over anything.
   */
  evaluate<A extends unknown[], R>(fn: (...args: A) => R | Promise<R>, ...args: A): Promise<Awaited<R>>
  /** Polls `fn` in the page until it answers something truthy. */
  waitFor<A extends unknown[], R>(options: WaitOptions, fn: (...args: A) => R | Promise<R>, ...args: A): Promise<NonNullable<Awaited<R>>>
  waitForSelector(selector: string, query?: ElementQuery, options?: WaitOptions): Promise<void>
  /** The innerText of the first element matching, or null. */
  text(selector: string, query?: ElementQuery): Promise<string | null>
  count(selector: string): Promise<number>
  /** Scrolls the element into view and clicks its centre with the mouse. */
  click(selector: string, query?: ElementQuery): Promise<void>
  focus(selector: string): Promise<void>
  /** Presses a key or a chord: `Enter`, `Control+End`, `Control+a`. */
  press(keys: string): Promise<void>
  /** Key events for every character of `text`, into whatever has the focus. */
  type(text: string): Promise<void>
  /** Clicks the field, selects what it holds and types `text` over it. */
  fill(selector: string, text: string): Promise<void>
  /** Puts `text` on the clipboard, clicks the field, selects what it holds and presses Ctrl+V. */
  paste(selector: string, text: string): Promise<void>
  /** A PNG of the viewport; written to `file` too when given. */
  screenshot(file?: string): Promise<Buffer>
  /** The console errors, uncaught exceptions and unhandled rejections this tab logged so far. */
  errors(): Promise<LogEntry[]>
  /** Closes the tab (its pagehide runs, as when a person closes it). */
  close(): Promise<void>
}

export interface FirefoxAttendee {
  /** The panel page, opened in a tab of its own at launch. */
  panel: FirefoxPanel
  /** `moz-extension://<uuid>/`. */
  baseUrl: string
  /** What the add-on's pages logged so far (console calls and uncaught errors), oldest first. */
  readLog(): Promise<LogEntry[]>
  /** `langpack` when Firefox had a Swedish language pack, `simulated` when the driver added `sv`. */
  localeSource: 'default' | 'langpack' | 'simulated'
  /** Opens another panel page in the same profile (same IndexedDB). */
  openPanel(): Promise<FirefoxPanel>
  /** Opens Firefox's sidebar on the add-on's panel, as its toolbar button does. */
  openSidebar(): Promise<FirefoxSidebar>
  /** Runs an expression in the browser window with chrome privileges; it must answer JSON text. */
  evaluateChrome(expression: string): Promise<unknown>
  close(): Promise<void>
}

/** The panel page in Firefox's own sidebar: readable, not drivable (BiDi does not list it). */
export interface FirefoxSidebar {
  url: string
  /** The textContent of the first element matching, or null. */
  text(selector: string): Promise<string | null>
  errors(): Promise<LogEntry[]>
}

export interface FirefoxOptions {
  /** `sv` requests Swedish as Firefox's locale (see the top of this file). */
  lang?: 'en' | 'sv'
  viewport?: { width: number; height: number }
}

const userJs = (options: FirefoxOptions): string => {
  const prefs: Record<string, string | number | boolean> = {
    'extensions.webextensions.uuids': JSON.stringify({ [FIREFOX_EXTENSION_ID]: FIREFOX_EXTENSION_UUID }),
    // A quiet browser: no start page, no first-run, update or telemetry traffic.
    'browser.startup.page': 0,
    'browser.startup.homepage': 'about:blank',
    'browser.newtabpage.enabled': false,
    'browser.shell.checkDefaultBrowser': false,
    'browser.tabs.warnOnClose': false,
    'datareporting.policy.dataSubmissionEnabled': false,
    'datareporting.healthreport.uploadEnabled': false,
    'toolkit.telemetry.reportingpolicy.firstRun': false,
    'app.update.disabledForTesting': true,
    'extensions.update.enabled': false,
    'layout.css.devPixelsPerPx': '1.0',
  }
  // Explicit either way: a machine in Swedish with a Swedish language pack would otherwise give sv.
  prefs['intl.locale.requested'] = options.lang === 'sv' ? 'sv-SE,sv' : 'en-US'
  return Object.entries(prefs)
    .map(([name, value]) => `user_pref(${JSON.stringify(name)}, ${JSON.stringify(value)});`)
    .join('\n')
}

const waitForBidiUrl = (child: ChildProcess, stderr: () => string): Promise<string> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Firefox did not start BiDi within 30 s: ${stderr()}`)), 30_000)
    const onData = () => {
      const match = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(stderr())
      if (match === null) return
      clearTimeout(timer)
      child.stderr!.off('data', onData)
      resolve(match[1]!)
    }
    child.stderr!.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`Firefox exited with ${code} before BiDi started: ${stderr()}`))
    })
  })

/** Launches Firefox with a fresh profile, installs the Firefox build and opens its panel page. */
export const launchFirefox = async (options: FirefoxOptions = {}): Promise<FirefoxAttendee> => {
  assertFirefoxReady()
  const profileDir = mkdtempSync(join(tmpdir(), 'minutes-firefox-'))
  writeFileSync(join(profileDir, 'user.js'), userJs(options))

  const child = spawn(
    FIREFOX,
    ['--headless', '--no-remote', '--profile', profileDir, '--remote-debugging-port=0', '--remote-allow-system-access'],
    { detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: '1' } },
  )
  // Drained for the whole life of the process (a full pipe would block Firefox); the tail is
  // kept for error messages.
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-8_000)))
  const exited = new Promise<void>((done) => child.once('exit', () => done()))

  let bidi: Bidi | undefined
  let closed = false
  const close = async (): Promise<void> => {
    if (closed) return
    closed = true
    bidi?.close()
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {
        // already gone
      }
    }
    await exited
    rmSync(profileDir, { recursive: true, force: true })
  }
  onTestFinished(close)

  const url = await waitForBidiUrl(child, () => stderr)
  bidi = await Bidi.connect(`${url}/session`)
  const session = bidi
  await session.send('session.new', { capabilities: { alwaysMatch: { unhandledPromptBehavior: { default: 'ignore' } } } })

  const chromeTree = await session.send<{ contexts: Array<{ context: string }> }>('browsingContext.getTree', { 'moz:scope': 'chrome' })
  const browserWindow = chromeTree.contexts[0]!.context
  const evaluateChrome = async (expression: string): Promise<unknown> =>
    unwrap(
      'the browser window',
      await session.send<EvaluateResult>('script.evaluate', {
        expression,
        target: { context: browserWindow },
        awaitPromise: true,
        'moz:scope': 'chrome',
      }),
    )

  // BiDi's log.entryAdded leaves out extension pages (Bug 1755014), so a process script
  // forwards what the add-on's pages log, attributed to their tab, to the browser window.
  await evaluateChrome(`(() => {
    window.minutesE2ELog = []
    Services.ppmm.addMessageListener('minutes-e2e:log', { receiveMessage: ({ data }) => window.minutesE2ELog.push(data) })
    Services.ppmm.loadProcessScript('data:,' + encodeURIComponent(${JSON.stringify(LOG_COLLECTOR)}), true)
    return JSON.stringify(true)
  })()`)
  const readLog = async (): Promise<LogEntry[]> => (await evaluateChrome('JSON.stringify(window.minutesE2ELog)')) as LogEntry[]

  let localeSource: FirefoxAttendee['localeSource'] = 'default'
  if (options.lang === 'sv') {
    // Before the add-on is installed: it picks its locale when it starts.
    localeSource = (await evaluateChrome(`(() => {
      if (Services.locale.appLocaleAsBCP47.startsWith('sv')) return JSON.stringify('langpack')
      Services.locale.availableLocales = [...Services.locale.availableLocales, 'sv']
      Services.locale.requestedLocales = ['sv']
      return JSON.stringify(Services.locale.appLocaleAsBCP47.startsWith('sv') ? 'simulated' : 'failed')
    })()`)) as FirefoxAttendee['localeSource']
    if ((localeSource as string) === 'failed') throw new Error('Firefox would not take Swedish as its locale')
  }

  const installed = await session.send<{ extension: string }>('webExtension.install', {
    extensionData: { type: 'path', path: FIREFOX_EXTENSION_DIR },
  })
  if (installed.extension !== FIREFOX_EXTENSION_ID) throw new Error(`installed ${installed.extension}, expected ${FIREFOX_EXTENSION_ID}`)

  const openPanel = async (): Promise<FirefoxPanel> => {
    const tree = () => session.send<{ contexts: Array<{ context: string; url: string }> }>('browsingContext.getTree', { maxDepth: 0 })
    const before = new Set((await tree()).contexts.map(({ context }) => context))
    // The system principal may open a moz-extension:// page; BiDi navigation may not.
    const browserId = (await evaluateChrome(`(() => {
      const url = WebExtensionPolicy.getByID(${JSON.stringify(FIREFOX_EXTENSION_ID)}).getURL('sidepanel.html')
      const tab = gBrowser.addTab(url, { triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal() })
      gBrowser.selectedTab = tab
      return JSON.stringify(tab.linkedBrowser.browserId)
    })()`)) as number
    const context = await waitUntil(
      async () => (await tree()).contexts.find((entry) => !before.has(entry.context) && entry.url === PANEL_URL)?.context,
      { message: 'the panel tab' },
    )
    const viewport = options.viewport ?? { width: 400, height: 900 }
    await session.send('browsingContext.setViewport', { context, viewport })
    return createPanel(session, context, evaluateChrome, async () =>
      (await readLog()).filter((entry) => entry.browserId === browserId && entry.level === 'error'),
    )
  }

  const openSidebar = async (): Promise<FirefoxSidebar> => {
    // The sidebar's id is the add-on id made a widget id (`makeWidgetId`) + `-sidebar-action`.
    const sidebarId = `${FIREFOX_EXTENSION_ID.toLowerCase().replace(/[^a-z0-9_-]/g, '_')}-sidebar-action`
    await evaluateChrome(`SidebarController.show(${JSON.stringify(sidebarId)}).then(() => JSON.stringify(true))`)
    const panelsBrowser = "document.getElementById('sidebar')?.contentDocument?.getElementById('webext-panels-browser')"
    const { url, browserId } = (await waitUntil(
      () =>
        evaluateChrome(`(() => {
          const browser = ${panelsBrowser}
          const url = browser?.currentURI?.spec
          return JSON.stringify(url === undefined || url === 'about:blank' ? null : { url, browserId: browser.browserId })
        })()`),
      { message: 'the sidebar page' },
    )) as { url: string; browserId: number }
    let calls = 0
    return {
      url,
      // A frame script in the sidebar's browser reads the page (`content`) and answers.
      text: async (selector) =>
        (await evaluateChrome(`new Promise((resolve) => {
          const manager = ${panelsBrowser}.messageManager
          const name = 'minutes-e2e:sidebar-${++calls}'
          manager.addMessageListener(name, function answer({ data }) {
            manager.removeMessageListener(name, answer)
            resolve(JSON.stringify(data))
          })
          const script = 'sendAsyncMessage(' + JSON.stringify(name) + ', content.document.querySelector(' +
            ${JSON.stringify(JSON.stringify(selector))} + ')?.textContent ?? null)'
          manager.loadFrameScript('data:,' + encodeURIComponent(script), false)
        })`)) as string | null,
      errors: async () => (await readLog()).filter((entry) => entry.browserId === browserId && entry.level === 'error'),
    }
  }

  const panel = await openPanel()
  return { panel, baseUrl: `moz-extension://${FIREFOX_EXTENSION_UUID}/`, readLog, localeSource, openPanel, openSidebar, evaluateChrome, close }
}

const createPanel = (
  session: Bidi,
  context: string,
  evaluateChrome: (expression: string) => Promise<unknown>,
  errors: () => Promise<LogEntry[]>,
): FirefoxPanel => {
  const evaluate = async <A extends unknown[], R>(fn: (...args: A) => R | Promise<R>, ...args: A): Promise<Awaited<R>> => {
    // Arguments and answer travel as JSON text: no BiDi remote-value (de)serialisation needed.
    const answer = await session.send<EvaluateResult>('script.callFunction', {
      functionDeclaration: `async (...args) => JSON.stringify(await (${fn.toString()})(...args.map((arg) => JSON.parse(arg))))`,
      arguments: args.map((arg) => ({ type: 'string', value: JSON.stringify(arg) })),
      target: { context },
      awaitPromise: true,
    })
    return unwrap('the panel', answer) as Awaited<R>
  }

  const waitFor = <A extends unknown[], R>(options: WaitOptions, fn: (...args: A) => R | Promise<R>, ...args: A) =>
    waitUntil(() => evaluate(fn, ...args), options)

  /** Finds the element, scrolls it into view, and answers the centre of its box (or null). */
  const locate = (selector: string, query: ElementQuery = {}): Promise<{ x: number; y: number } | null> =>
    evaluate(
      (selector: string, hasText: string | null) => {
        const element = Array.from(document.querySelectorAll(selector)).find(
          (candidate) => hasText === null || (candidate as HTMLElement).innerText.includes(hasText),
        )
        if (element === undefined) return null
        element.scrollIntoView({ block: 'center', inline: 'center' })
        const box = element.getBoundingClientRect()
        if (box.width === 0 || box.height === 0) return null
        return { x: Math.round(box.left + box.width / 2), y: Math.round(box.top + box.height / 2) }
      },
      selector,
      query.hasText ?? null,
    )

  const describe = (selector: string, query: ElementQuery = {}) =>
    `${selector}${query.hasText === undefined ? '' : ` with text ${JSON.stringify(query.hasText)}`}`

  const keyActions = (actions: Array<{ type: 'keyDown' | 'keyUp'; value: string }>) =>
    session.send('input.performActions', { context, actions: [{ type: 'key', id: 'keyboard', actions }] })

  const press = async (keys: string): Promise<void> => {
    // "Control++" would be Control and "+": split on the "+" between names only.
    const names = keys.length === 1 ? [keys] : keys.split(/(?<=.)\+/)
    const values = names.map(keyValue)
    await keyActions([
      ...values.map((value) => ({ type: 'keyDown' as const, value })),
      ...values.reverse().map((value) => ({ type: 'keyUp' as const, value })),
    ])
  }

  const type = async (text: string): Promise<void> => {
    if (text === '') return
    await keyActions([...text].flatMap((value) => [{ type: 'keyDown' as const, value }, { type: 'keyUp' as const, value }]))
  }

  const click = async (selector: string, query: ElementQuery = {}): Promise<void> => {
    const point = await waitUntil(() => locate(selector, query), { message: `a visible ${describe(selector, query)}` })
    await session.send('input.performActions', {
      context,
      actions: [
        {
          type: 'pointer',
          id: 'mouse',
          parameters: { pointerType: 'mouse' },
          actions: [
            { type: 'pointerMove', x: point.x, y: point.y, duration: 0 },
            { type: 'pointerDown', button: 0 },
            { type: 'pointerUp', button: 0 },
          ],
        },
      ],
    })
  }

  const focus = async (selector: string): Promise<void> => {
    await waitFor(
      { message: `focus on ${selector}` },
      (selector: string) => {
        const element = document.querySelector<HTMLElement>(selector)
        if (element === null) return false
        element.focus()
        return document.activeElement === element || element.contains(document.activeElement)
      },
      selector,
    )
  }

  const panel: FirefoxPanel = {
    context,
    evaluate,
    waitFor,
    waitForSelector: async (selector, query = {}, options = {}) => {
      await waitFor(
        { message: describe(selector, query), ...options },
        (selector: string, hasText: string | null) =>
          Array.from(document.querySelectorAll(selector)).some(
            (element) => hasText === null || (element as HTMLElement).innerText.includes(hasText),
          ),
        selector,
        query.hasText ?? null,
      )
    },
    text: (selector, query = {}) =>
      evaluate(
        (selector: string, hasText: string | null) => {
          const element = Array.from(document.querySelectorAll(selector)).find(
            (candidate) => hasText === null || (candidate as HTMLElement).innerText.includes(hasText),
          )
          return element === undefined ? null : (element as HTMLElement).innerText
        },
        selector,
        query.hasText ?? null,
      ),
    count: (selector) => evaluate((selector: string) => document.querySelectorAll(selector).length, selector),
    click,
    focus,
    press,
    type,
    fill: async (selector, text) => {
      await click(selector)
      await press('Control+a')
      if (text === '') await press('Backspace')
      else await type(text)
    },
    paste: async (selector, text) => {
      // The browser's clipboard (headless Firefox keeps one of its own), then a real Ctrl+V.
      await evaluateChrome(`(() => {
        Cc['@mozilla.org/widget/clipboardhelper;1'].getService(Ci.nsIClipboardHelper).copyString(${JSON.stringify(text)})
        return JSON.stringify(true)
      })()`)
      await click(selector)
      await press('Control+a')
      await press('Control+v')
    },
    screenshot: async (file) => {
      const { data } = await session.send<{ data: string }>('browsingContext.captureScreenshot', { context })
      const png = Buffer.from(data, 'base64')
      if (file !== undefined) writeFileSync(file, png)
      return png
    },
    errors,
    close: async () => {
      await session.send('browsingContext.close', { context })
    },
  }
  return panel
}
