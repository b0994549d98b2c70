import type { Socket } from 'node:net'
import type { WebSocket } from 'ws'

/**
 * Writes everything the server sends to one socket during a turn of the event loop in one
 * system call. Each WebSocket frame is otherwise its own `writev`, and per-frame sends were
 * half of the server's CPU under typing load (docs/benchmarks). A keystroke usually brings an
 * update and a cursor move: forwarded in the same turn, they now leave together.
 *
 * Sockets are corked on their first send of a turn and uncorked in a `setImmediate` — after
 * the group commit of that turn has forwarded its updates (`waitFor` says whether one is still
 * due), so they join the same write.
 */
export class OutboundBatch {
  private readonly corked = new Set<Socket>()
  private scheduled = false

  constructor(private readonly waitFor: () => boolean) {}

  /** Call before `ws.send`. */
  hold(ws: WebSocket): void {
    // ws has no public cork; its socket is `_socket` (ws 8), and ws corks around its own
    // frames too, which nests with ours (net.Socket counts corks).
    const socket = (ws as unknown as { _socket?: Socket | null })._socket
    if (socket == null || this.corked.has(socket) || socket.destroyed) return
    socket.cork()
    this.corked.add(socket)
    if (!this.scheduled) {
      this.scheduled = true
      setImmediate(this.release)
    }
  }

  private readonly release = (): void => {
    if (this.waitFor()) {
      setImmediate(this.release)
      return
    }
    this.scheduled = false
    for (const socket of this.corked) socket.uncork()
    this.corked.clear()
  }

  /** Writes out everything held now (shutdown). */
  releaseAll(): void {
    for (const socket of this.corked) socket.uncork()
    this.corked.clear()
  }
}
