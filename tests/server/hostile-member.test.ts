import * as decoding from 'lib0/decoding'
import { describe, expect, it, onTestFinished } from 'vitest'
import type { WebSocket } from 'ws'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { CloseCode, MessageType, SyncMessageType } from '../../src/protocol'
import { decodeAwarenessUpdate, type AwarenessEntry } from '../../sync-server/awareness'
import { connectClient, makeToken, startServerProcess, startTestServer, whenDoc, whenSynced } from '../helpers/server'
import { awarenessMessage, openRawClient, queryAwarenessMessage, startPair, syncMessage, whenClosed, whenMessage } from './fuzz-wire'

// SPEC H7–H11: what one member holding a valid token can make the server do to everyone else.

const KiB = 1024
const MiB = 1024 * KiB

/** A sync step 1 with an empty state vector: 4 bytes that ask for the whole document. */
const STEP1_ALL = syncMessage(SyncMessageType.step1, Y.encodeStateVector(new Y.Doc()))

const isStep2 = (m: Uint8Array): boolean => m[0] === MessageType.sync && m[1] === SyncMessageType.step2
const isAwareness = (m: Uint8Array): boolean => m[0] === MessageType.awareness

/** The entries of an awareness message as the server sent it. */
const entriesOf = (message: Uint8Array): AwarenessEntry[] => {
  const decoder = decoding.createDecoder(message)
  decoding.readVarUint(decoder)
  const decoded = decodeAwarenessUpdate(decoding.readVarUint8Array(decoder), Number.MAX_SAFE_INTEGER)
  if (decoded === 'too-many-clients') throw new Error('unreachable')
  return decoded
}

/** Stops reading: what the server sends piles up in the kernel, then in the server. */
const stopReading = (ws: WebSocket): void => (ws as unknown as { _socket: { pause(): void } })._socket.pause()
const resumeReading = (ws: WebSocket): void => (ws as unknown as { _socket: { resume(): void } })._socket.resume()

/** Was the connection let into its room (the server greets it) or closed, and with which code? */
const admission = (ws: WebSocket): Promise<'admitted' | number> =>
  Promise.race([whenMessage(ws).then(() => 'admitted' as const), whenClosed(ws).then(({ code }) => code)])

/** One number of the server's Prometheus text. */
const metric = async (port: number, name: string): Promise<number> => {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()
  const line = text.split('\n').find((l) => l.startsWith(`${name} `))
  return line === undefined ? Number.NaN : Number(line.split(' ')[1])
}

/** Resolves when `provider` shows presence for `clientId` whose state satisfies `matches`. */
const whenPresence = (provider: WebsocketProvider, clientId: number, matches: (state: Record<string, unknown>) => boolean = () => true) =>
  new Promise<void>((resolve) => {
    const check = () => {
      const state = provider.awareness.getStates().get(clientId)
      if (state === undefined || !matches(state)) return
      provider.awareness.off('change', check)
      resolve()
    }
    provider.awareness.on('change', check)
    check()
  })

describe('H7: a connection that asks for more than it reads', () => {
  it('H7: a viewer that stops reading and sends 400 sync step 1s on a 256 KiB meeting has one reply outstanding at a time, not 400; the server stays within its bound, closes it with 4504, and the others keep syncing', async () => {
    const server = await startServerProcess(['--store', 'memory', '--max-message-bytes', String(MiB), '--byte-rate', String(1024 * MiB), '--log-level', 'warn'])
    onTestFinished(() => server.kill9())
    const editor = await makeToken({ room: 'h7/*' })
    const viewer = await makeToken({ room: 'h7/*', role: 'viewer', name: 'quiet viewer' })
    const pair = await startPair(server.url, 'h7/big', editor)
    const chunk = (i: number) => String(i % 10).repeat(256 * KiB)
    const text = (p: WebsocketProvider) => p.doc.getText('t')
    text(pair.a).insert(0, chunk(0))
    await whenDoc(pair.b.doc, () => text(pair.b).length >= 256 * KiB)
    await pair.roundTrip('big meeting')
    const rssBefore = await metric(server.port, 'minutes_process_process_resident_memory_bytes')

    const flooder = await openRawClient(server.url, 'h7/big', viewer)
    onTestFinished(() => flooder.terminate())
    await whenMessage(flooder)
    stopReading(flooder)
    for (let i = 0; i < 400; i++) flooder.send(STEP1_ALL)
    // Presence after the flood: when the others see it, the server has read all 400.
    flooder.send(awarenessMessage([{ clientId: 707, clock: 1, state: JSON.stringify({ user: { name: 'flood done' } }) }]))
    await whenPresence(pair.b, 707)
    await pair.roundTrip('after the flood')
    const rssAfterFlood = await metric(server.port, 'minutes_process_process_resident_memory_bytes')
    const unsentAfterFlood = await metric(server.port, 'minutes_unsent_bytes')

    // The others keep typing large pastes; the quiet viewer's unsent share passes its bound.
    for (let i = 1; i <= 48; i++) {
      text(pair.a).insert(text(pair.a).length, chunk(i))
      await whenDoc(pair.b.doc, () => text(pair.b).length >= (i + 1) * 256 * KiB)
    }
    await pair.roundTrip('after the pastes')
    const unsentAfterPastes = await metric(server.port, 'minutes_unsent_bytes')
    console.log(
      `H7: rss +${((rssAfterFlood - rssBefore) / MiB).toFixed(1)} MiB after 400 step 1s; unsent ${(unsentAfterFlood / MiB).toFixed(2)} MiB after the flood, ` +
        `${(unsentAfterPastes / MiB).toFixed(2)} MiB after 12 MiB of pastes`,
    )
    resumeReading(flooder)
    const closed = await whenClosed(flooder, 30_000, 'the quiet viewer')
    let replies = 0
    while (await whenMessage(flooder, isStep2, 0, replies + 1).then(() => true, () => false)) replies++
    console.log(`H7: ${replies} step 2 replies read after resuming; closed with ${closed.code}`)
    expect(rssAfterFlood - rssBefore).toBeLessThan(32 * MiB)
    expect(unsentAfterFlood).toBeLessThanOrEqual(3 * MiB)
    expect(unsentAfterPastes).toBeLessThanOrEqual(3 * MiB)
    // Each reply went out only once the one before had left: as many as the kernel's buffers took.
    expect(replies).toBeLessThan(40)
    expect(closed.code).toBe(CloseCode.backlogged)
    await pair.roundTrip('after the close')
    expect(pair.converged()).toBe(true)
  }, 60_000)

  it('H7: the replies a connection asks for count against its byte rate: a reading client that keeps asking for a 256 KiB meeting is closed with 4429', async () => {
    const server = await startTestServer({ limits: { maxMessageBytes: 512 * KiB, bytesPerSecond: 64 * KiB } })
    onTestFinished(() => server.close())
    const token = await makeToken({ room: 'h7/budget' })
    const pair = await startPair(server.url, 'h7/budget', token)
    pair.a.doc.getText('t').insert(0, 'y'.repeat(256 * KiB))
    await whenDoc(pair.b.doc, (d) => d.getText('t').length >= 256 * KiB)

    const asker = await openRawClient(server.url, 'h7/budget', token)
    onTestFinished(() => asker.terminate())
    const closed = whenClosed(asker, 30_000)
    let replies = 0
    for (let i = 1; i <= 20; i++) {
      asker.send(STEP1_ALL)
      const outcome = await Promise.race([whenMessage(asker, isStep2, 10_000, i).then(() => 'reply' as const), closed.then(() => 'closed' as const)])
      if (outcome === 'closed') break
      replies++
    }
    console.log(`H7 budget: ${replies} replies of 256 KiB before the close`)
    expect(replies).toBeLessThanOrEqual(4)
    expect((await closed).code).toBe(CloseCode.rateLimited)
    await pair.roundTrip('after')
  })

  it('H10: a token that cycles through new connections to a 256 KiB meeting shares one reply budget: after a few greetings its new connections are closed with 4429, and another token is still served', async () => {
    const server = await startTestServer({ limits: { maxMessageBytes: 512 * KiB, bytesPerSecond: 64 * KiB } })
    onTestFinished(() => server.close())
    const writer = await makeToken({ room: 'h10/budget' })
    const pair = await startPair(server.url, 'h10/budget', writer)
    pair.a.doc.getText('t').insert(0, 'y'.repeat(256 * KiB))
    await whenDoc(pair.b.doc, (d) => d.getText('t').length >= 256 * KiB)

    const cycler = await makeToken({ room: 'h10/budget', role: 'viewer' })
    let served = 0
    let refused = 0
    for (let i = 0; i < 20; i++) {
      const socket = await openRawClient(server.url, 'h10/budget', cycler)
      const closed = whenClosed(socket, 10_000)
      socket.send(STEP1_ALL)
      const outcome = await Promise.race([whenMessage(socket, isStep2, 10_000).then(() => 'reply' as const), closed.then(({ code }) => code)])
      if (outcome === 'reply') served++
      else if (outcome === CloseCode.rateLimited) refused++
      socket.terminate()
    }
    console.log(`H10 budget: ${served} greetings of 256 KiB served to one token over 20 new connections, ${refused} refused with 4429`)
    // Four times the connection's budget (512 KiB) is 2 MiB: about 8 greetings, not 20.
    expect(served).toBeLessThanOrEqual(10)
    expect(refused).toBeGreaterThanOrEqual(10)
    // Another token's newcomer is greeted as usual.
    const other = await openRawClient(server.url, 'h10/budget', await makeToken({ room: 'h10/budget', role: 'viewer', name: 'Other' }))
    onTestFinished(() => other.terminate())
    other.send(STEP1_ALL)
    await whenMessage(other, isStep2, 10_000)
    await pair.roundTrip('after')
  })
})

describe('H8: presence a connection may introduce', () => {
  it('H8: 5,120 presence ids from one connection close it with 4413, and a joiner’s greeting stays within the room’s presence bound (256 entries, 256 KiB)', async () => {
    const server = await startTestServer()
    onTestFinished(() => server.close())
    const token = await makeToken({ room: 'h8/flood' })
    const state = JSON.stringify({ user: { name: 'x'.repeat(180) } })

    const flooder = await openRawClient(server.url, 'h8/flood', token)
    onTestFinished(() => flooder.terminate())
    for (let m = 0; m < 20; m++) {
      flooder.send(awarenessMessage(Array.from({ length: 256 }, (_, k) => ({ clientId: 100_000 + m * 256 + k, clock: 1, state }))))
    }
    flooder.send(queryAwarenessMessage())
    const flood = await Promise.race([whenMessage(flooder, isAwareness).then(() => 'open' as const), whenClosed(flooder).then(({ code }) => code)])

    // Connections that stay within their own bound (4 ids each, 1 KiB each) but together exceed the room's.
    const fat = JSON.stringify({ user: { name: 'f'.repeat(1000) } })
    for (let c = 0; c < 70; c++) {
      const ws = await openRawClient(server.url, 'h8/flood', token)
      onTestFinished(() => ws.terminate())
      ws.send(awarenessMessage([0, 1, 2, 3].map((k) => ({ clientId: 200_000 + c * 4 + k, clock: 1, state: fat }))))
      ws.send(queryAwarenessMessage())
      await whenMessage(ws, isAwareness)
    }
    const joiner = await openRawClient(server.url, 'h8/flood', token)
    onTestFinished(() => joiner.terminate())
    const greeting = await whenMessage(joiner, isAwareness)
    const entries = entriesOf(greeting)
    console.log(`H8 flood: the flooding connection ${flood === 'open' ? 'stayed open' : `closed with ${flood}`}; greeting ${entries.length} entries, ${(greeting.byteLength / KiB).toFixed(0)} KiB`)
    expect(flood).toBe(CloseCode.awarenessTooLarge)
    expect(entries.length).toBeLessThanOrEqual(256)
    expect(greeting.byteLength).toBeLessThanOrEqual(256 * KiB + 256 * 16)
  })

  it('H8: a presence id stays with whoever announced it first: after its attendee leaves, another member claiming it with a huge clock is ignored, and the attendee coming back is shown again', async () => {
    const server = await startTestServer()
    onTestFinished(() => server.close())
    const ann = await makeToken({ room: 'h8/squat', name: 'Ann' })
    const sam = await makeToken({ room: 'h8/squat', name: 'Sam' })
    const observer = connectClient(server.url, 'h8/squat', await makeToken({ room: 'h8/squat', name: 'Olle' }))
    onTestFinished(() => observer.destroy())
    await whenSynced(observer)
    const presenceOf = (ws: WebSocket, clock: number, state: object) => ws.send(awarenessMessage([{ clientId: 4242, clock, state: JSON.stringify(state) }]))

    const first = await openRawClient(server.url, 'h8/squat', ann)
    presenceOf(first, 1, { user: { name: 'Ann' } })
    await whenPresence(observer, 4242, (s) => (s.user as { name?: string } | undefined)?.name === 'Ann')
    first.close()
    await new Promise<void>((resolve) => {
      const gone = () => {
        if (observer.awareness.getStates().has(4242)) return
        observer.awareness.off('change', gone)
        resolve()
      }
      observer.awareness.on('change', gone)
      gone()
    })

    const squatter = await openRawClient(server.url, 'h8/squat', sam)
    onTestFinished(() => squatter.terminate())
    presenceOf(squatter, 2 ** 40, { user: { name: 'Mallory' } })
    squatter.send(queryAwarenessMessage()) // the answer is its second presence message, after the greeting
    const seenBySquatter = await Promise.race([whenMessage(squatter, isAwareness, 2_000, 2).then(entriesOf, () => [] as AwarenessEntry[]), whenClosed(squatter).then(() => [])])

    const back = await openRawClient(server.url, 'h8/squat', ann)
    onTestFinished(() => back.terminate())
    // Her clock went past the removal the server sent for her (clock 2) when she left, as a stock client's does within 15 s.
    presenceOf(back, 3, { user: { name: 'Ann' }, back: true })
    const shown = await Promise.race([
      whenPresence(observer, 4242, (s) => s.back === true).then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), 3_000)),
    ])
    const newcomer = await openRawClient(server.url, 'h8/squat', ann)
    onTestFinished(() => newcomer.terminate())
    const greeting = entriesOf(await whenMessage(newcomer, isAwareness))
    const greeted = greeting.find((e) => e.clientId === 4242)
    console.log(`H8 squat: the squatter's query answer held ${JSON.stringify(seenBySquatter.find((e) => e.clientId === 4242)?.state ?? null)}; Ann's return shown: ${shown}; greeting: ${greeted?.state ?? 'none'}`)
    expect(seenBySquatter.find((e) => e.clientId === 4242)).toBeUndefined()
    expect(shown).toBe(true)
    expect(JSON.parse(greeted?.state ?? 'null')).toMatchObject({ back: true })
  })
})

describe('H9: connections one member may hold', () => {
  const limits = { maxConnectionsPerRoom: 10, maxConnectionsPerToken: 4, maxConnectionsPerAddress: 100, editorReservedConnections: 2 }

  it('H9: one viewer token gets at most its per-token share of a room; the next socket with it closes with 4505', async () => {
    const server = await startTestServer({ limits })
    onTestFinished(() => server.close())
    const viewer = await makeToken({ room: 'h9/token', role: 'viewer' })
    const outcomes: Array<'admitted' | number> = []
    for (let i = 0; i < 6; i++) {
      const ws = await openRawClient(server.url, 'h9/token', viewer)
      onTestFinished(() => ws.terminate())
      outcomes.push(await admission(ws))
    }
    console.log(`H9 token: ${JSON.stringify(outcomes)}`)
    expect(outcomes).toEqual(['admitted', 'admitted', 'admitted', 'admitted', CloseCode.tokenConnectionsFull, CloseCode.tokenConnectionsFull])
    // Another token still gets in.
    const other = await openRawClient(server.url, 'h9/token', await makeToken({ room: 'h9/token', role: 'viewer', name: 'someone else' }))
    onTestFinished(() => other.terminate())
    expect(await admission(other)).toBe('admitted')
  })

  it('H9: a room full of viewers still lets an editor in (slots reserved for editors); the extra viewer closes with 4503', async () => {
    const server = await startTestServer({ limits })
    onTestFinished(() => server.close())
    const outcomes: Array<'admitted' | number> = []
    for (let i = 0; i < 10; i++) {
      const ws = await openRawClient(server.url, 'h9/full', await makeToken({ room: 'h9/full', role: 'viewer', name: `viewer ${i}` }))
      onTestFinished(() => ws.terminate())
      outcomes.push(await admission(ws))
    }
    const editor = connectClient(server.url, 'h9/full', await makeToken({ room: 'h9/full', name: 'editor' }))
    onTestFinished(() => editor.destroy())
    const editorIn = await whenSynced(editor, 3_000).then(
      () => true,
      () => false,
    )
    console.log(`H9 full: viewers ${JSON.stringify(outcomes)}; editor synced: ${editorIn}`)
    expect(outcomes.filter((o) => o === 'admitted')).toHaveLength(8)
    expect(outcomes.slice(8)).toEqual([CloseCode.roomFull, CloseCode.roomFull])
    expect(editorIn).toBe(true)
  })

  it('H9: one address gets at most its per-address share of a room; the next socket from it closes with 4506', async () => {
    const server = await startTestServer({ limits: { ...limits, maxConnectionsPerAddress: 3 } })
    onTestFinished(() => server.close())
    const outcomes: Array<'admitted' | number> = []
    for (let i = 0; i < 4; i++) {
      const ws = await openRawClient(server.url, 'h9/address', await makeToken({ room: 'h9/address', name: `member ${i}` }))
      onTestFinished(() => ws.terminate())
      outcomes.push(await admission(ws))
    }
    console.log(`H9 address: ${JSON.stringify(outcomes)}`)
    expect(outcomes).toEqual(['admitted', 'admitted', 'admitted', CloseCode.addressConnectionsFull])
  })
})

describe('H11: an identity that keeps being closed for misconduct waits to be let in', () => {
  /** Opens a socket of `token` and resolves with how long the upgrade took, or the HTTP status it was refused with. */
  const timedOpen = async (url: string, room: string, token: string): Promise<{ ws: WebSocket; ms: number } | { refused: string }> => {
    const from = performance.now()
    try {
      const ws = await openRawClient(url, room, token)
      onTestFinished(() => ws.terminate())
      return { ws, ms: performance.now() - from }
    } catch (error) {
      return { refused: (error as Error).message }
    }
  }
  const opened = (outcome: Awaited<ReturnType<typeof timedOpen>>) => {
    if ('refused' in outcome) throw new Error(outcome.refused)
    return outcome
  }

  it('H11: after `burst` connections closed with 4400 (a text frame each), the same token’s next connection waits about 1 / rate seconds, while another token opens at once and syncs; one never closed for misconduct never waits', async () => {
    const server = await startTestServer({ limits: { misconductBurst: 3, misconductPerSecond: 0.5 } })
    onTestFinished(() => server.close())
    const pair = await startPair(server.url, 'h11/churn', await makeToken({ room: 'h11/churn', name: 'honest' }))
    const churner = await makeToken({ room: 'h11/churn', name: 'churner' })
    const waits: number[] = []
    for (let i = 0; i < 3; i++) {
      const { ws, ms } = opened(await timedOpen(server.url, 'h11/churn', churner))
      waits.push(ms)
      ws.send('not the protocol')
      expect((await whenClosed(ws)).code).toBe(CloseCode.malformedMessage)
    }
    // The burst is spent: the next one waits until the balance is back at one (about 2 s at 0.5 a second).
    const held = timedOpen(server.url, 'h11/churn', churner)
    const other = opened(await timedOpen(server.url, 'h11/churn', await makeToken({ room: 'h11/churn', name: 'other' })))
    await pair.roundTrip('while the churner waits')
    const late = opened(await held)
    console.log(`H11 churn: opens ${waits.map((ms) => ms.toFixed(0)).join(', ')} ms, then ${late.ms.toFixed(0)} ms; another token ${other.ms.toFixed(0)} ms`)
    expect(Math.max(...waits)).toBeLessThan(500)
    expect(late.ms).toBeGreaterThan(1_000)
    expect(other.ms).toBeLessThan(500)
    // The honest pair's token was never closed for misconduct: a new connection of it opens at once.
    expect(opened(await timedOpen(server.url, 'h11/churn', await makeToken({ room: 'h11/churn', name: 'honest' }))).ms).toBeLessThan(500)
  })

  it('H11: while `burst` connections of one identity wait, the next is refused with 429 at the upgrade; a full room (4503) is not misconduct', async () => {
    const server = await startTestServer({ limits: { misconductBurst: 2, misconductPerSecond: 0.5, maxConnectionsPerRoom: 1, editorReservedConnections: 0 } })
    onTestFinished(() => server.close())
    const churner = await makeToken({ room: 'h11/waiting', name: 'churner' })
    for (let i = 0; i < 2; i++) {
      const { ws } = opened(await timedOpen(server.url, 'h11/waiting', churner))
      ws.send('not the protocol')
      await whenClosed(ws)
    }
    const waiting = [timedOpen(server.url, 'h11/waiting', churner), timedOpen(server.url, 'h11/waiting', churner)]
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(await timedOpen(server.url, 'h11/waiting', churner)).toEqual({ refused: 'upgrade refused with 429' })
    for (const outcome of await Promise.all(waiting)) opened(outcome).ws.terminate()

    // A room of one: a second member is turned away with 4503 as often as it tries, and never waits for it.
    const holder = opened(await timedOpen(server.url, 'h11/full', await makeToken({ room: 'h11/full', name: 'holder' })))
    await whenMessage(holder.ws)
    const turnedAway = await makeToken({ room: 'h11/full', name: 'turned away' })
    const opens: number[] = []
    for (let i = 0; i < 4; i++) {
      const { ws, ms } = opened(await timedOpen(server.url, 'h11/full', turnedAway))
      opens.push(ms)
      expect((await whenClosed(ws)).code).toBe(CloseCode.roomFull)
    }
    expect(Math.max(...opens)).toBeLessThan(500)
  })
})
