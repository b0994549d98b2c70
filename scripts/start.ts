import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { userInfo } from 'node:os'
import { join, resolve } from 'node:path'
import { encodePersonalJoinCode } from '../src/join-code'
import { addMember } from '../sync-server/identity'
import { openSqliteStore } from '../sync-server/persistence/sqlite-store'

// `npm start`: build the extension, start the sync server on 127.0.0.1:1234 with its store in
// ./data, and print a join code and how to load the extension. The secret and the space id are
// made once and kept in ./data so join codes stay valid across restarts. On the first start of
// a fresh store it also makes the space's owner (SPEC I1) and prints the owner's personal join
// code, once: only its key's hash is stored.
const root = resolve(import.meta.dirname, '..')
const dataDir = join(root, 'data')
const host = '127.0.0.1'
const port = Number(process.env.PORT ?? 1234)

const readOrCreate = (file: string, make: () => string): string => {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  const value = make()
  writeFileSync(file, value + '\n', { mode: 0o600 })
  chmodSync(file, 0o600)
  return value
}

/** Makes the space's first owner when the space has no members yet; its personal join code, or `null`. */
const createOwnerOnce = async (space: string, server: string): Promise<string | null> => {
  const store = openSqliteStore(dataDir)
  try {
    if ((await store.members(space)).length > 0) return null
    const name = process.env.MINUTES_OWNER_NAME ?? (userInfo().username || 'Owner')
    const { key } = await addMember(store, { space, name, role: 'owner' })
    return encodePersonalJoinCode({ server, space, key })
  } finally {
    await store.close()
  }
}

const main = async (): Promise<void> => {
  mkdirSync(dataDir, { recursive: true })
  const secret = process.env.MINUTES_SECRET ?? readOrCreate(join(dataDir, 'secret'), () => randomBytes(32).toString('base64url'))
  const space = readOrCreate(join(dataDir, 'space-id'), () => `space-${randomBytes(4).toString('hex')}`)

  if (process.env.MINUTES_SKIP_BUILD !== '1') {
    process.stdout.write('Building the extension (chrome-mv3 and firefox-mv2/3) into .output/ …\n')
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' })
    if (build.status !== 0) {
      process.stderr.write('The extension build failed (see above). Fix it, or set MINUTES_SKIP_BUILD=1 to start only the server.\n')
      process.exit(1)
    }
  }

  const serverUrl = `ws://${host}:${port}`
  const ownerCode = await createOwnerOnce(space, serverUrl)
  const ownerLines =
    ownerCode === null
      ? [
          'Open the panel with the toolbar button (or Alt+Shift+M) and paste your personal join code',
          '(the owner code printed at the first start). Lost it? Make a new owner:',
          `  npm run invite -- --space ${space} --name "Your Name" --role owner`,
          '',
        ]
      : [
          'Open the panel with the toolbar button (or Alt+Shift+M) and paste your personal join code.',
          'You are the owner of this space. The code is shown only this once (the store keeps only a',
          'hash of it): keep it, it is what lets you invite and revoke members.',
          '',
          ownerCode,
          '',
        ]
  process.stdout.write(
    [
      '',
      `Minutes sync server: ws://${host}:${port}, store in ./data (space ${space}).`,
      '',
      'Load the extension: open chrome://extensions, switch on Developer mode, "Load unpacked",',
      `and pick ${join(root, '.output', 'chrome-mv3')}. (Firefox: about:debugging → This Firefox →`,
      '"Load Temporary Add-on…" → .output/firefox-mv2/manifest.json.)',
      '',
      ...ownerLines,
      'Invite people one by one, each with a personal join code you can revoke: in the panel,',
      'Settings → Members, or',
      `  npm run invite -- --space ${space} --name "Anna Andersson" --role editor`,
      'A shared code (the same for everyone, cannot be revoked on its own, cannot approve minutes):',
      `  MINUTES_SECRET=$(cat data/secret) npm run token -- --room "${space}/*" --role editor --ttl 30d`,
      '',
    ].join('\n'),
  )

  const server = spawn(process.execPath, ['--import', 'tsx', join(root, 'sync-server', 'main.ts'), '--host', host, '--port', String(port), '--data', dataDir], {
    cwd: root,
    env: { ...process.env, MINUTES_SECRET: secret },
    stdio: 'inherit',
  })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.kill(signal))
  server.on('exit', (code) => process.exit(code ?? 0))
}

void main()
