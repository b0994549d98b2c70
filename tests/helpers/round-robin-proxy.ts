import { connect, createServer, type Socket } from 'node:net'

/**
 * A load balancer for tests (SPEC C7): a TCP proxy on a free loopback port that hands each new
 * connection to the next backend in turn, skipping one that refuses (a killed server), as nginx's
 * round-robin upstream does. WebSocket upgrades pass through untouched.
 */
export interface RoundRobinProxy {
  port: number
  url: string
  /** The backends' ports, changed in place (a restarted server on a new port). */
  backends: number[]
  close(): Promise<void>
}

export const startRoundRobinProxy = async (backends: number[]): Promise<RoundRobinProxy> => {
  const sockets = new Set<Socket>()
  let turn = 0
  const track = (socket: Socket): void => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  }
  const server = createServer((client) => {
    track(client)
    client.pause()
    client.on('error', () => client.destroy())
    const tryBackend = (attempt: number): void => {
      if (attempt >= proxy.backends.length || client.destroyed) {
        client.destroy()
        return
      }
      const port = proxy.backends[turn++ % proxy.backends.length]!
      const upstream = connect(port, '127.0.0.1')
      track(upstream)
      let connected = false
      upstream.once('connect', () => {
        connected = true
        client.pipe(upstream)
        upstream.pipe(client)
        client.resume()
      })
      upstream.on('error', () => {
        if (!connected) tryBackend(attempt + 1)
        else client.destroy()
      })
      upstream.once('close', () => {
        if (connected) client.destroy()
      })
      client.once('close', () => upstream.destroy())
    }
    tryBackend(0)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as { port: number }
  const proxy: RoundRobinProxy = {
    port,
    url: `ws://127.0.0.1:${port}`,
    backends: [...backends],
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
  return proxy
}
