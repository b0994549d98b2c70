import * as encoding from 'lib0/encoding'
import { describe, expect, it, onTestFinished } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { CloseCode, CloseReason, MessageType, SyncMessageType } from '../../src/protocol'
import { connectClient, makeToken, startServerProcess, startTestServer, storedRows, tempDir, whenDoc, whenSynced } from '../helpers/server'
import {
  FIN,
  Opcode,
  RSV2,
  RSV3,
  awarenessMessage,
  clientFrame,
  encode,
  openRawClient,
  queryAwarenessMessage,
  rawUpgrade,
  startPair,
  syncMessage,
  updateMessage,
  whenClosed,
  whenMessage,
  whenRawClosed,
} from './fuzz-wire'

// SPEC H1–H5: whatever one connection sends, only that connection suffers.

/** A Yjs update inserting `text` from a fresh client. */
const textUpdate = (clientId: number, text: string): Uint8Array => {
  const doc = new Y.Doc()
  doc.clientID = clientId
  doc.getText('t').insert(0, text)
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return update
}

/** Resolves when `provider` is connected again after the room was reset (4501 among `codes`). */
const reconnectedAfterReset = (provider: WebsocketProvider, codes: readonly number[]) =>
  new Promise<void>((resolve) => {
    const onStatus = ({ status }: { status: string }) => {
      if (status !== 'connected' || !codes.includes(CloseCode.roomReset)) return
      provider.off('status', onStatus)
      resolve()
    }
    provider.on('status', onStatus)
  })

/** Opens a raw client, sends `message`, and resolves with how the server closed it. */
const sendAndAwaitClose = async (url: string, room: string, token: string, ...messages: Array<Uint8Array | string>) => {
  const ws = await openRawClient(url, room, token)
  for (const message of messages) ws.send(message)
  return whenClosed(ws, 10_000, `after ${messages.length} message(s) to ${room}`)
}

describe('H1: bad WebSocket frames', () => {
  it('H1: a frame with RSV2/RSV3 set, a bad opcode, an unmasked frame or a length over the limit closes only that socket; the server process keeps serving', async () => {
    const server = await startServerProcess(['--store', 'memory', '--max-message-bytes', '65536'])
    onTestFinished(() => server.kill9())
    const token = await makeToken({ room: 'h1/*' })
    const pair = await startPair(server.url, 'h1/room', token)

    const empty = new Uint8Array(0)
    const badFrames: Array<[label: string, bytes: Buffer, code: number]> = [
      // The reference server's process dies on exactly these 6 bytes: FIN|RSV2|RSV3|binary, masked, length 0.
      ['RSV2|RSV3 set', Buffer.from([0xb2, 0x80, 0x00, 0x00, 0x00, 0x00]), 1002],
      ['RSV2|RSV3 set, via the frame builder', clientFrame(FIN | RSV2 | RSV3 | Opcode.binary, empty), 1002],
      ['reserved opcode 3', clientFrame(FIN | 0x3, Uint8Array.of(1, 2, 3)), 1002],
      ['reserved control opcode 0xB', clientFrame(FIN | 0xb, empty), 1002],
      ['unmasked client frame', Buffer.from([FIN | Opcode.binary, 0x01, 0x03]), 1002],
      ['fragmented ping', clientFrame(Opcode.ping, empty), 1002],
      ['continuation without a start', clientFrame(FIN | Opcode.continuation, Uint8Array.of(0)), 1002],
      ['length header claims 4 GiB', clientFrame(FIN | Opcode.binary, empty, 2 ** 32).subarray(0, 10), 1009],
      ['length header claims 2^60 bytes', clientFrame(FIN | Opcode.binary, empty, 2 ** 60).subarray(0, 10), 1009],
      ['length header claims one byte over the limit', clientFrame(FIN | Opcode.binary, empty, 65537).subarray(0, 10), 1009],
    ]
    for (const [label, bytes, code] of badFrames) {
      const { socket, rest } = await rawUpgrade(server.port, `/h1/room?token=${token}`)
      const closed = whenRawClosed(socket, rest)
      socket.write(bytes)
      expect((await closed).closeCode, label).toBe(code)
      expect(server.child.exitCode, `server process alive after: ${label}`).toBeNull()
      await pair.roundTrip(label)
    }
    expect(pair.converged()).toBe(true)
    const health = await fetch(`http://127.0.0.1:${server.port}/healthz`)
    expect(health.status).toBe(200)
  })
})

describe('H3: limits close with named codes', () => {
  it('H3: a message over maxMessageBytes closes with 1009; one at the limit passes', async () => {
    const server = await startTestServer({ limits: { maxMessageBytes: 64 * 1024 } })
    onTestFinished(() => server.close())
    const token = await makeToken({ room: 'h3/big' })
    expect(await sendAndAwaitClose(server.url, 'h3/big', token, new Uint8Array(64 * 1024 + 1))).toMatchObject({ code: CloseCode.messageTooBig })

    // A valid update just under the limit is accepted (and arrives at a peer).
    const pair = await startPair(server.url, 'h3/big', token)
    let text = 'x'.repeat(64 * 1024 - 64)
    let message = updateMessage(textUpdate(4242, text))
    while (message.byteLength > 64 * 1024) message = updateMessage(textUpdate(4242, (text = text.slice(0, -16))))
    const ws = await openRawClient(server.url, 'h3/big', token)
    onTestFinished(() => ws.terminate())
    ws.send(message)
    await whenDoc(pair.a.doc, (d) => d.getText('t').length >= text.length)
    await pair.roundTrip()
  })

  it('H3: more messages than the rate limit allows close with 4429', async () => {
    const server = await startTestServer({ limits: { messagesPerSecond: 5, messageBurst: 20 } })
    onTestFinished(() => server.close())
    const token = await makeToken({ room: 'h3/rate' })
    const messages = Array.from({ length: 200 }, () => queryAwarenessMessage())
    const closed = await sendAndAwaitClose(server.url, 'h3/rate', token, ...messages)
    expect(closed).toEqual({ code: CloseCode.rateLimited, reason: CloseReason.rateLimited })
  })

  it('H3: more bytes a second than the byte rate allows close with 4429', async () => {
    const server = await startTestServer({ limits: { maxMessageBytes: 64 * 1024, bytesPerSecond: 1024 } })
    onTestFinished(() => server.close())
    const token = await makeToken({ room: 'h3/bytes' })
    // Each is valid and under the size limit; together they exceed the burst of one maximal message.
    const first = updateMessage(textUpdate(1, 'a'.repeat(40_000)))
    const second = updateMessage(textUpdate(2, 'b'.repeat(40_000)))
    const closed = await sendAndAwaitClose(server.url, 'h3/bytes', token, first, second)
    expect(closed).toEqual({ code: CloseCode.rateLimited, reason: CloseReason.rateLimited })
  })

  it('H3: a room at its connection cap refuses the next connection with 4503 while the others keep syncing', async () => {
    const server = await startTestServer({ limits: { maxConnectionsPerRoom: 3 } })
    onTestFinished(() => server.close())
    const token = await makeToken({ room: 'h3/cap' })
    const clients: WebsocketProvider[] = []
    for (let i = 0; i < 3; i++) {
      const client = connectClient(server.url, 'h3/cap', token)
      onTestFinished(() => client.destroy())
      clients.push(client)
    }
    await Promise.all(clients.map((c) => whenSynced(c)))

    const fourth = await openRawClient(server.url, 'h3/cap', token)
    expect(await whenClosed(fourth)).toEqual({ code: CloseCode.roomFull, reason: CloseReason.roomFull })

    clients[0]!.doc.getText('t').insert(0, 'still here')
    await Promise.all(clients.slice(1).map((c) => whenDoc(c.doc, (d) => d.getText('t').toString() === 'still here')))
    expect(clients.every((c) => c.wsconnected)).toBe(true)
    // The cap counts connections, not history: another room is unaffected.
    const other = await openRawClient(server.url, 'h3/cap-other', await makeToken({ room: 'h3/cap-other' }))
    onTestFinished(() => other.terminate())
    await whenMessage(other)
  })

  it('H3: an awareness message over maxAwarenessBytes or maxAwarenessClients closes with 4413; one within both passes', async () => {
    const server = await startTestServer({ limits: { maxAwarenessBytes: 1024, maxAwarenessClients: 4 } })
    onTestFinished(() => server.close())
    const token = await makeToken({ room: 'h3/awareness' })
    const entry = (clientId: number, state: object = { user: { name: `u${clientId}` } }) => ({ clientId, clock: 1, state: JSON.stringify(state) })

    const tooBig = awarenessMessage([entry(1, { pad: 'x'.repeat(2000) })])
    expect(await sendAndAwaitClose(server.url, 'h3/awareness', token, tooBig)).toEqual({
      code: CloseCode.awarenessTooLarge,
      reason: CloseReason.awarenessTooLarge,
    })
    const tooMany = awarenessMessage([1, 2, 3, 4, 5].map((id) => entry(id)))
    expect(await sendAndAwaitClose(server.url, 'h3/awareness', token, tooMany)).toMatchObject({ code: CloseCode.awarenessTooLarge })

    // Four entries are within the limit: a query-awareness answers with them.
    const ws = await openRawClient(server.url, 'h3/awareness', token)
    onTestFinished(() => ws.terminate())
    ws.send(awarenessMessage([11, 12, 13, 14].map((id) => entry(id))))
    ws.send(queryAwarenessMessage())
    await whenMessage(ws, (m) => m[0] === MessageType.awareness)
    expect(ws.readyState).toBe(ws.OPEN)
  })

  it('H3: a text (non-binary) message closes with 4400', async () => {
    const server = await startTestServer()
    onTestFinished(() => server.close())
    const token = await makeToken({ room: 'h3/text' })
    expect(await sendAndAwaitClose(server.url, 'h3/text', token, 'hello')).toEqual({
      code: CloseCode.malformedMessage,
      reason: CloseReason.malformedMessage,
    })
  })
})

describe('H2: malformed protocol closes that connection only', () => {
  it('H2: unknown types, truncated sync messages, bad Yjs updates and bad awareness close with 4400; both rooms go on and converge', async () => {
    const server = await startTestServer()
    onTestFinished(() => server.close())
    const token = await makeToken({ room: 'h2/*' })
    const shared = await startPair(server.url, 'h2/shared', token)
    const other = await startPair(server.url, 'h2/other', token)
    await shared.roundTrip('before')
    await other.roundTrip('before')

    const badUpdate = Uint8Array.of(0xff, 0xff, 0xff)
    expect(() => Y.applyUpdate(new Y.Doc(), badUpdate)).toThrow()
    const valid = textUpdate(99, 'valid')
    const malformed: Array<[label: string, bytes: Uint8Array]> = [
      ['unknown message type 7', Uint8Array.of(7)],
      ['message type beyond one byte', encode((e) => encoding.writeVarUint(e, 300))],
      ['auth message from a client', Uint8Array.of(MessageType.auth, 0, 0)],
      ['durable ack from a client', Uint8Array.of(MessageType.durableAck, 0)],
      ['empty message', new Uint8Array(0)],
      ['sync without a sub-type', Uint8Array.of(MessageType.sync)],
      ['unknown sync sub-type', Uint8Array.of(MessageType.sync, 9, 0)],
      ['truncated sync update (length 10, 2 bytes)', Uint8Array.of(MessageType.sync, SyncMessageType.update, 10, 1, 2)],
      ['truncated varint in the type', Uint8Array.of(0x80)],
      ['sync step 1 with a bad state vector', syncMessage(SyncMessageType.step1, Uint8Array.of(5, 1))],
      ['update that is not Yjs', updateMessage(badUpdate)],
      ['sync step 2 that is not Yjs', syncMessage(SyncMessageType.step2, Uint8Array.of(3, 0x80))],
      ['update followed by trailing bytes', Uint8Array.from([...updateMessage(valid), 0])],
      ['awareness with invalid JSON state', awarenessMessage([{ clientId: 77, clock: 1, state: '{not json' }])],
      ['awareness truncated', Uint8Array.of(MessageType.awareness, 5, 1, 77)],
      ['awareness with trailing bytes inside', Uint8Array.from([MessageType.awareness, 2, 0, 0])],
      ['awareness followed by trailing bytes', Uint8Array.from([...awarenessMessage([{ clientId: 78, clock: 1, state: '{}' }]), 9])],
      ['query-awareness followed by trailing bytes', Uint8Array.of(MessageType.queryAwareness, 0xde, 0xad)],
    ]
    for (const [label, bytes] of malformed) {
      const ws = await openRawClient(server.url, 'h2/shared', token)
      ws.send(bytes)
      const closed = await whenClosed(ws, 10_000, label)
      expect(closed, label).toEqual({ code: CloseCode.malformedMessage, reason: CloseReason.malformedMessage })
    }
    // The same in the other room, from a connection that had sent valid traffic first.
    const late = await sendAndAwaitClose(server.url, 'h2/other', token, queryAwarenessMessage(), updateMessage(textUpdate(98, 'ok')), Uint8Array.of(7))
    expect(late.code).toBe(CloseCode.malformedMessage)

    await shared.roundTrip('after')
    await shared.roundTrip('after')
    await other.roundTrip('after')
    await other.roundTrip('after')
    expect(shared.converged() && other.converged()).toBe(true)
    expect(shared.text()).not.toContain('valid')
    expect(other.text()).toContain('ok')

    // A newcomer gets the same document.
    const newcomer = connectClient(server.url, 'h2/shared', token)
    onTestFinished(() => newcomer.destroy())
    await whenSynced(newcomer)
    expect(newcomer.doc.getText('t').toString()).toBe(shared.text())
  })

  it('H2, J6: an update cut short in its delete set closes its sender with 4400 before any of it is applied; the others stay connected and never see it', async () => {
    const server = await startTestServer()
    onTestFinished(() => server.close())
    const token = await makeToken({ room: 'h2/reset' })
    const pair = await startPair(server.url, 'h2/reset', token)
    await pair.roundTrip('stored')
    const codes: number[] = []
    for (const p of [pair.a, pair.b]) p.on('connection-close', (event) => codes.push(event?.code ?? 0))

    // Valid structs, then a delete set cut short: Yjs alone would integrate the structs before it
    // fails (the room was then reset, 4501); the J6 check reads the whole update first.
    const update = textUpdate(5150, 'HALF')
    const halfBad = update.subarray(0, update.byteLength - 1)
    expect(() => Y.applyUpdate(new Y.Doc(), halfBad)).toThrow()
    const closed = await sendAndAwaitClose(server.url, 'h2/reset', token, updateMessage(halfBad))
    expect(closed.code).toBe(CloseCode.malformedMessage)

    await pair.roundTrip('after')
    await pair.roundTrip('after')
    expect(codes).toEqual([])
    expect(pair.converged()).toBe(true)
    expect(pair.text()).not.toContain('HALF')
  })
})

describe('H5: crafted updates', () => {
  /** A V1 update: one client, `claimed` structs, then `gcStructs` one-clock GC structs and an empty delete set. */
  const craftedUpdate = (claimed: number, gcStructs: number, withDeleteSet: boolean): Uint8Array => {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, 1) // clients
    encoding.writeVarUint(encoder, claimed) // structs of this client
    encoding.writeVarUint(encoder, 424242) // client id
    encoding.writeVarUint(encoder, 0) // first clock
    for (let i = 0; i < gcStructs; i++) {
      encoding.writeUint8(encoder, 0) // GC struct
      encoding.writeVarUint(encoder, 1) // of length 1
    }
    if (withDeleteSet) encoding.writeVarUint(encoder, 0)
    return encoding.toUint8Array(encoder)
  }

  it('H5: an update claiming 2^32-1 structs in a few bytes closes with 4400 while another room keeps syncing', async () => {
    const server = await startTestServer()
    onTestFinished(() => server.close())
    const token = await makeToken({ room: 'h5/*' })
    const pair = await startPair(server.url, 'h5/other', token)
    const closed = sendAndAwaitClose(server.url, 'h5/target', token, updateMessage(craftedUpdate(2 ** 32 - 1, 2, false)))
    await pair.roundTrip('during')
    expect((await closed).code).toBe(CloseCode.malformedMessage)
    await pair.roundTrip('after')
  })

  it('H5: a message of millions of one-clock GC structs closes its connection while a client in another room completes a round trip', async () => {
    const server = await startTestServer()
    onTestFinished(() => server.close())
    const token = await makeToken({ room: 'h5/*' })
    const pair = await startPair(server.url, 'h5/other', token)
    const structs = 3_500_000
    const message = updateMessage(craftedUpdate(structs, structs, true))
    expect(message.byteLength).toBeLessThan(8 * 1024 * 1024)

    const ws = await openRawClient(server.url, 'h5/target', token)
    const closed = whenClosed(ws)
    const started = performance.now()
    ws.send(message)
    ws.send(message) // a second copy, in case the first was cheap: the byte rate or the apply budget must stop it
    await pair.roundTrip('during')
    const { code } = await closed
    console.log(`H5: ${(message.byteLength / 2 ** 20).toFixed(1)} MiB crafted update, closed with ${code} after ${(performance.now() - started).toFixed(0)} ms`)
    expect([CloseCode.updateTooExpensive, CloseCode.rateLimited, CloseCode.malformedMessage]).toContain(code)
    await pair.roundTrip('after')
    expect(pair.converged()).toBe(true)
  })
})

describe('H6: updates whose dependencies never arrive', () => {
  /** `count` one-keystroke updates of one client; every one after the first depends on the first. */
  const chainedUpdates = (clientId: number, count: number): Uint8Array[] => {
    const doc = new Y.Doc()
    doc.clientID = clientId
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    const text = doc.getText('t')
    for (let i = 0; i < count; i++) text.insert(text.length, i === 0 ? 'ROOT ' : `pending-${i} `)
    doc.destroy()
    return updates
  }

  it('H6: a late dependency still lands; a pile of pending updates past the limit closes its sender with 4400 and reloads the room', async () => {
    const data = tempDir()
    onTestFinished(data.remove)
    const server = await startTestServer({ dataDir: data.path, limits: { maxPendingBytes: 4096 } })
    onTestFinished(() => server.close())
    const token = await makeToken({ room: 'h6/*' })

    // Under the limit: updates wait for their dependency, and arrive with it, stored.
    const small = chainedUpdates(6001, 20)
    const pair = await startPair(server.url, 'h6/late', token)
    const sender = await openRawClient(server.url, 'h6/late', token)
    for (const update of small.slice(1)) sender.send(updateMessage(update))
    sender.send(updateMessage(small[0]!))
    await whenDoc(pair.a.doc, (d) => d.getText('t').toString().includes('pending-19'))
    sender.close()
    const stored = new Y.Doc()
    for (const row of storedRows(data.path, 'h6/late')) Y.applyUpdate(stored, row)
    expect(stored.getText('t').toString()).toContain('pending-19')

    // Past it: the sender is closed, the others reconnect to a room without the pile.
    const room = await startPair(server.url, 'h6/pile', token)
    await room.roundTrip('before')
    const codes: number[] = []
    for (const p of [room.a, room.b]) p.on('connection-close', (event) => codes.push(event?.code ?? 0))
    const pile = chainedUpdates(6002, 400).slice(1)
    expect(pile.reduce((n, u) => n + u.byteLength, 0)).toBeGreaterThan(4096)
    const closed = await sendAndAwaitClose(server.url, 'h6/pile', token, ...pile.map(updateMessage))
    expect(closed.code).toBe(CloseCode.malformedMessage)
    await Promise.all([reconnectedAfterReset(room.a, codes), reconnectedAfterReset(room.b, codes)])
    await Promise.all([whenSynced(room.a), whenSynced(room.b)])
    await room.roundTrip('after reset')
    expect(room.converged()).toBe(true)
    expect(room.text()).toContain('before')
    expect(room.text()).not.toContain('pending')
  })

  it('H6: a stock client back from offline edits that types the moment its socket opens sends updates that wait, pending, for its own sync step 2; they all land and nothing stays pending', async () => {
    const server = await startTestServer()
    onTestFinished(() => server.close())
    const pair = await startPair(server.url, 'h6/offline', await makeToken({ room: 'h6/offline' }))
    const room = await server.rooms.open('h6/offline')
    const store = room.doc.store
    let pendingSeen = 0
    room.doc.on('afterTransaction', () => {
      if (store.pendingStructs !== null || store.pendingDs !== null) pendingSeen++
    })
    const text = pair.a.doc.getText('t')
    for (let round = 0; round < 5; round++) {
      pair.a.disconnect()
      for (let i = 0; i < 40; i++) text.insert(text.length, `o${round}.${i} `)
      text.delete(0, 3)
      // Typed while its step 1 is on the way: these keystrokes follow offline ones the server has not seen.
      const typeOnOpen = ({ status }: { status: string }) => {
        if (status !== 'connected') return
        pair.a.off('status', typeOnOpen)
        for (let i = 0; i < 5; i++) text.insert(text.length, `n${round}.${i} `)
      }
      pair.a.on('status', typeOnOpen)
      pair.a.connect()
      await whenSynced(pair.a)
    }
    await whenDoc(pair.b.doc, (d) => d.getText('t').toString() === text.toString())
    console.log(`H6 offline: ${pendingSeen} server transactions left updates pending on the way; pending at the end: ${store.pendingStructs !== null || store.pendingDs !== null}`)
    // What a bound on pending updates must let through: a stock client's own, for one round trip.
    expect(pendingSeen).toBeGreaterThan(0)
    expect(store.pendingStructs).toBeNull()
    expect(store.pendingDs).toBeNull()
    expect(room.doc.getText('t').toString()).toBe(text.toString())
  })
})
