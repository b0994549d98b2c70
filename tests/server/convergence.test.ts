import { describe, expect, it, onTestFinished, vi } from 'vitest'
import * as Y from 'yjs'
import { connectClient, makeToken, startTestServer, tempDir, whenSynced } from '../helpers/server'
import { createRandom, seedFromEnv, type Random } from '../helpers/random'

const ROOMS = ['space-1/lg', 'space-1/fsg', 'space-1/omsorg']

const randomEdit = (doc: Y.Doc, random: Random, who: number): void => {
  const text = doc.getText('body')
  const people = doc.getMap<string>('people')
  const actions = doc.getArray<string>('actions')
  switch (random.int(0, 4)) {
    case 0:
    case 1:
      text.insert(random.int(0, text.length), random.pick(['Beslut: ', 'Åtgärd ', 'ö', 'x', '§3 ', '\n']))
      break
    case 2:
      if (text.length > 0) {
        const at = random.int(0, text.length - 1)
        text.delete(at, Math.min(random.int(1, 4), text.length - at))
      }
      break
    case 3:
      people.set(random.pick(['aa', 'bb', 'cc']), random.pick(['present', 'absent', 'guest']) + who)
      break
    default:
      actions.push([`action-${who}-${random.int(0, 1e6)}`])
  }
}

const stateOf = (doc: Y.Doc) => ({
  body: doc.getText('body').toString(),
  people: doc.getMap('people').toJSON(),
  actions: doc.getArray('actions').toArray(),
})

describe('convergence', () => {
  it('8 stock clients in 3 rooms with random edits and disconnects converge, and a fresh client after a restart gets the same state', async () => {
    const seed = seedFromEnv('CONVERGENCE_SEED')
    const random = createRandom(seed)
    const data = tempDir()
    onTestFinished(data.remove)
    let server = await startTestServer({ dataDir: data.path })
    onTestFinished(() => server.close())
    const token = await makeToken({ room: 'space-1/*' })
    const clients = Array.from({ length: 8 }, (_, i) => {
      const provider = connectClient(server.url, ROOMS[i % ROOMS.length]!, token)
      onTestFinished(() => provider.destroy())
      return provider
    })
    await Promise.all(clients.map((c) => whenSynced(c)))

    for (let step = 0; step < 600; step++) {
      const i = random.int(0, clients.length - 1)
      const c = clients[i]!
      if (random.bool(0.05)) {
        if (c.wsconnected || c.wsconnecting) c.disconnect()
        else c.connect()
      }
      randomEdit(c.doc, random, i)
      if (step % 25 === 0) await new Promise((resolve) => setImmediate(resolve))
    }
    for (const c of clients) if (!c.shouldConnect) c.connect()
    await Promise.all(clients.map((c) => whenSynced(c)))

    const expectConverged = () => {
      for (const room of ROOMS) {
        const states = clients.filter((c) => c.roomname === room).map((c) => stateOf(c.doc))
        for (const s of states) expect({ seed, room, state: s }).toEqual({ seed, room, state: states[0] })
      }
    }
    await vi.waitFor(expectConverged, { timeout: 15_000 })
    const finals = new Map(ROOMS.map((room) => [room, stateOf(clients.find((c) => c.roomname === room)!.doc)]))
    for (const c of clients) c.destroy()

    await server.close()
    server = await startTestServer({ dataDir: data.path })
    for (const room of ROOMS) {
      const fresh = connectClient(server.url, room, token)
      onTestFinished(() => fresh.destroy())
      await whenSynced(fresh)
      expect({ seed, room, state: stateOf(fresh.doc) }).toEqual({ seed, room, state: finals.get(room) })
    }
  })
})
