/**
 * Hocuspocus 4 with its SQLite extension, as a peer for the benchmarks.
 * Usage: node --import tsx bench/peers/hocuspocus-server.ts <port> <database file>
 * Prints `{"msg":"listening","port":n}` once it accepts connections.
 */
import { SQLite } from '@hocuspocus/extension-sqlite'
import { Server } from '@hocuspocus/server'

const [portArg, database] = process.argv.slice(2)
if (portArg === undefined || database === undefined) {
  process.stderr.write('usage: hocuspocus-server.ts <port> <database file>\n')
  process.exit(2)
}

const server = new Server({
  port: Number(portArg),
  address: '127.0.0.1',
  quiet: true,
  stopOnSignals: false,
  extensions: [new SQLite({ database })],
})

await server.listen()
process.stdout.write(`${JSON.stringify({ msg: 'listening', port: server.address.port })}\n`)

const stop = () => {
  void server.destroy().finally(() => process.exit(0))
}
process.once('SIGTERM', stop)
process.once('SIGINT', stop)
