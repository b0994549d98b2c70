import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { encodePersonalJoinCode } from '../src/join-code'
import { addMember, checkMemberInput } from './identity'
import { SQLITE_FILE_NAME, openSqliteStore } from './persistence/sqlite-store'
import { StoreOpenError } from './persistence/store'

// `npm run invite -- --space space-1 --name "Anna Andersson" --role editor`: a new member of a
// space and its personal join code (SPEC I1, I2). Works beside a running server (SQLite, WAL).
const HELP = `Adds a member to a space and prints the member's personal join code.

Usage: npm run invite -- --space <space> --name <name> [options]

  --space <id>         the space (the part before /* of its rooms)
  --name <name>        the member's name, as everyone will see it
  --role <role>        owner, editor (default) or viewer. Owners may also invite and revoke
  --data <dir>         the server's data directory, as its --data (default ./data); --db is the same
  --public-url <url>   the server address put in the join code (default ws://127.0.0.1:1234)
  --json               print {"member","joinCode"} as JSON

The join code is shown once and holds the member's key: give it to that person only. The
store keeps only a hash of the key, so a lost code cannot be shown again: invite anew.
`

const fail = (message: string, code = 2): never => {
  process.stderr.write(`invite: ${message}\n`)
  process.exit(code)
}

const main = async (): Promise<void> => {
  let values
  try {
    values = parseArgs({
      args: process.argv.slice(2),
      options: {
        space: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string', default: 'editor' },
        data: { type: 'string' },
        db: { type: 'string' },
        'public-url': { type: 'string', default: 'ws://127.0.0.1:1234' },
        json: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }).values
  } catch (error) {
    return fail(`${(error as Error).message}. Run with --help.`)
  }
  if (values.help) {
    process.stdout.write(HELP)
    return
  }
  const input = checkMemberInput({ space: values.space, name: values.name, role: values.role })
  if (typeof input === 'string') return fail(`${input}. Run with --help.`)
  const server = values['public-url']
  if (!/^wss?:\/\/[^/?#]+$/.test(server)) return fail(`--public-url must be ws://host[:port] or wss://host[:port], got "${server}"`)
  const dataDir = values.data ?? values.db ?? './data'
  // A mistyped --data must not quietly start a second, empty store.
  if (!existsSync(join(dataDir, SQLITE_FILE_NAME))) {
    return fail(`no store in ${dataDir} (no ${SQLITE_FILE_NAME}): pass the server's --data directory, or start the server once first`)
  }
  let store
  try {
    store = openSqliteStore(dataDir)
  } catch (error) {
    return fail(error instanceof StoreOpenError ? error.message : String(error), 3)
  }
  try {
    const { member, key } = await addMember(store, input)
    const joinCode = encodePersonalJoinCode({ server, space: input.space, key })
    if (values.json) {
      process.stdout.write(JSON.stringify({ member: { id: member.id, name: member.name, role: member.role }, joinCode }) + '\n')
      return
    }
    process.stdout.write(
      `${member.name} (${member.role}) is a member of ${input.space}, id ${member.id}.\n\n` +
        `Personal join code, shown only this once; give it to ${member.name} only:\n\n${joinCode}\n`,
    )
  } finally {
    await store.close()
  }
}

void main()
