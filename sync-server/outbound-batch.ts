import type { Socket } from 'node:net'
import type { WebSocket } from 'ws'

/**
 * Writes everything the server sends to one socket during a turn of the event loop in one
 * system call. Each WebSocket frame is otherwise its own `writev`, and per-frame sends were
 * half of the server's CPU under typing load (docs/benchmarks). A keystroke usually brings an
 * update and a cursor move: forwarded in the same turn, they now leave together.
 *
 * Sockets are corked on their first send of a turn and uncorked in a `setImmediate`. When a
 * group commit is still due then (`waitFor`), the release waits for it: the commit queue calls
 * `commitDone()` once it has forwarded its updates, which releases everything at once, in that
 * turn, so a forwarded update does not wait one more turn of the loop. The release never polls:
 * an idle loop must be able to sleep until the commit's timer.
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
    this.scheduled = false
    if (this.waitFor()) return
    for (const socket of this.corked) socket.uncork()
    this.corked.clear()
  }

  /**
   * A group commit has forwarded its updates: release what waited for it now, in the commit's
   * own turn, unless the next commit is already due (then its updates join the same write).
   */
  commitDone(): void {
    if (this.corked.size === 0) return
    if (!this.waitFor()) {
      this.releaseAll()
      return
    }
    if (this.scheduled) return
    this.scheduled = true
    setImmediate(this.release)
  }

  /** Writes out everything held now (shutdown). */
  releaseAll(): void {
    for (const socket of this.corked) socket.uncork()
    this.corked.clear()
  }
}
