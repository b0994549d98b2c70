/**
 * The floor for benchmark 1: the least a server can do and still carry y-websocket traffic on
 * this stack (Node + ws). It keeps no document, decodes nothing but the first two bytes of a
 * frame, answers a client's sync step 1 with an empty step 2 (so the stock client counts as
 * synced) and relays every other update and awareness frame byte for byte to the room's other
 * clients. No validation, no storage, no auth: not a server anyone should run, only the
 * measure of what the kernel and ws cost per delivery, below which no peer can go.
 * Usage: node --import tsx bench/peers/relay-floor.ts <port>
 * Prints `{"msg":"listening","port":n}` once it accepts connections.
 */
import { WebSocketServer, type WebSocket } from 'ws'

const SYNC = 0
const SYNC_STEP_1 = 0
const SYNC_STEP_2 = 1
/** messageSync, syncStep2, an update of 2 bytes: no structs, an empty delete set. */
const EMPTY_STEP_2 = Uint8Array.of(SYNC, SYNC_STEP_2, 2, 0, 0)

const port = Number(process.argv[2] ?? 0)
const rooms = new Map<string, Set<WebSocket>>()
const server = new WebSocketServer({ host: '127.0.0.1', port })

server.on('connection', (socket, request) => {
  const name = new URL(request.url ?? '/', 'http://relay').pathname
  let room = rooms.get(name)
  if (room === undefined) rooms.set(name, (room = new Set()))
  const peers = room
  peers.add(socket)
  socket.on('message', (data: Buffer) => {
    if (data[0] === SYNC && data[1] === SYNC_STEP_1) {
      socket.send(EMPTY_STEP_2)
      return
    }
    for (const other of peers) if (other !== socket) other.send(data)
  })
  socket.on('close', () => {
    peers.delete(socket)
    if (peers.size === 0) rooms.delete(name)
  })
})

server.on('listening', () => {
  const address = server.address()
  process.stdout.write(`${JSON.stringify({ msg: 'listening', port: typeof address === 'object' && address !== null ? address.port : port })}\n`)
})

const stop = () => server.close(() => process.exit(0))
process.once('SIGTERM', stop)
process.once('SIGINT', stop)
