import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { encodeJoinCode } from '../src/join-code'
import { Role } from '../src/protocol'
import { MIN_SECRET_LENGTH, parseDuration } from './config'
import { signToken } from './tokens'

// `npm run token -- --room 'space-1/*' --role editor --ttl 30d`: prints a token and a join code.
const HELP = `Prints a Minutes access token and a join code.

Usage: npm run token -- --room <room or space/*> [options]

  --room <id>          a room id, or a space prefix ending in /* (grants every meeting of the space)
  --role <role>        editor (default) or viewer
  --ttl <duration>     lifetime: 3600, 90m, 12h or 30d (default 30d)
  --name <name>        display name carried in the token (optional)
  --server <url>       the server address put in the join code (default ws://127.0.0.1:1234)
  --secret-file <file> read the secret from a file instead of MINUTES_SECRET
  --json               print {"token","joinCode"} as JSON
`

/** The space a room claim grants, if it grants a whole space (`space-1/*` → `space-1`). */
export const spaceOfClaim = (room: string): string | null => (room.endsWith('/*') && room.length > 2 ? room.slice(0, -2) : null)

const fail = (message: string): never => {
  process.stderr.write(`token: ${message}\n`)
  process.exit(2)
}

const main = async (): Promise<void> => {
  let values
  try {
    values = parseArgs({
      args: process.argv.slice(2),
      options: {
        room: { type: 'string' },
        role: { type: 'string', default: 'editor' },
        ttl: { type: 'string', default: '30d' },
        name: { type: 'string' },
        server: { type: 'string', default: 'ws://127.0.0.1:1234' },
        'secret-file': { type: 'string' },
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
  const room = values.room ?? fail('--room is required, e.g. --room "space-1/*"')
  const role = values.role
  if (role !== Role.editor && role !== Role.viewer) return fail('--role must be editor or viewer')
  const ttl = parseDuration(values.ttl) ?? fail(`--ttl "${values.ttl}" is not a duration like 3600, 90m, 12h or 30d`)
  const secretFile = values['secret-file']
  const secret = (secretFile !== undefined ? readFileSync(secretFile, 'utf8') : process.env.MINUTES_SECRET ?? '').trim()
  if (secret.length < MIN_SECRET_LENGTH) {
    return fail(`set MINUTES_SECRET (at least ${MIN_SECRET_LENGTH} characters, the same as the server's) or pass --secret-file`)
  }
  const token = await signToken(secret, { room, role, ttlSeconds: ttl, ...(values.name !== undefined ? { name: values.name } : {}) })
  const space = spaceOfClaim(room)
  const joinCode = space === null ? null : encodeJoinCode({ server: values.server, space, token })
  if (values.json) {
    process.stdout.write(JSON.stringify({ token, joinCode }) + '\n')
    return
  }
  process.stdout.write(`token:\n${token}\n`)
  if (joinCode !== null) process.stdout.write(`\njoin code (paste it in the Minutes panel):\n${joinCode}\n`)
  else process.stdout.write('\n(no join code: a join code needs a space claim such as --room "space-1/*")\n')
}

void main()
