import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import * as Y from 'yjs'
import { CloseCode } from '../../src/protocol'
import { ConfigError, parseConfig } from '../../sync-server/config'
import { startTestPostgres, type TestPostgres } from '../helpers/postgres'
import { TEST_SECRET, ackedClient, closeCodeOf, connectClient, makeToken, startServerProcess, whenDoc, whenSynced } from '../helpers/server'

const ROOM = 'space-1/meeting'

const text = (doc: Y.Doc) => doc.getText('t').toString()
const health = async (port: number) => (await fetch(`http://127.0.0.1:${port}/healthz`)).status
/** Resolves once `check` resolves true, polled; rejects after `timeoutMs`. */
const eventually = async (check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> => {
  const until = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe('server on PostgreSQL (SPEC C)', () => {
  let cluster: TestPostgres
  beforeAll(async () => {
    cluster = await startTestPostgres()
  })
  afterAll(() => cluster?.remove())

  it('C1, C4: two stock clients converge and are acknowledged; after kill -9 and a restart everything acknowledged is there; PostgreSQL stopped fails writes loudly (4500, nothing acknowledged, /healthz 503) and the clients recover by themselves when it is back', async () => {
    const url = await cluster.createDatabase()
    const token = await makeToken({ room: ROOM })
    const first = await startServerProcess(['--postgres', url, '--log-level', 'warn'])
    onTestFinished(() => first.kill9())
    expect(JSON.parse(first.output[0]!)).toMatchObject({ store: 'postgres', postgres: url })

    const a = ackedClient(first.url, ROOM, token)
    const b = ackedClient(first.url, ROOM, token)
    onTestFinished(() => a.provider.destroy())
    onTestFinished(() => b.provider.destroy())
    await Promise.all([whenSynced(a.provider), whenSynced(b.provider)])
    a.provider.doc.getText('t').insert(0, 'Protokoll från A. ')
    b.provider.doc.getText('t').insert(0, 'Närvaro: B. ')
    for (const doc of [a.provider.doc, b.provider.doc]) await whenDoc(doc, (d) => text(d).includes('från A') && text(d).includes('B.'))
    expect(text(a.provider.doc)).toBe(text(b.provider.doc))
    await Promise.all([a.whenAllAcked(), b.whenAllAcked()])
    const acknowledged = text(a.provider.doc)

    // Acknowledged means committed in PostgreSQL: a kill -9 right after loses none of it.
    await first.kill9()
    a.provider.destroy()
    b.provider.destroy()
    const second = await startServerProcess(['--postgres', url, '--log-level', 'warn'])
    onTestFinished(() => second.kill9())
    const writer = ackedClient(second.url, ROOM, token)
    const reader = connectClient(second.url, ROOM, token)
    onTestFinished(() => writer.provider.destroy())
    onTestFinished(() => reader.destroy())
    await Promise.all([whenSynced(writer.provider), whenSynced(reader)])
    expect(text(writer.provider.doc)).toBe(acknowledged)
    expect(text(reader.doc)).toBe(acknowledged)

    // PostgreSQL goes away: the write is refused loudly and nothing of it is acknowledged.
    await cluster.stop()
    const savedClock = writer.acked.clock
    const closed = closeCodeOf(writer.provider)
    writer.provider.doc.getText('t').insert(0, 'Skrivet medan databasen var borta. ')
    expect(await closed).toBe(CloseCode.storageFailure)
    expect(writer.acked.clock).toBe(savedClock)
    expect(await health(second.port)).toBe(503)

    // It comes back: the clients reconnect on their own, re-send, and the write is stored and acknowledged.
    await cluster.start()
    await writer.whenAllAcked()
    await whenDoc(reader.doc, (d) => text(d).includes('medan databasen'))
    expect(text(reader.doc)).toBe(text(writer.provider.doc))
    await eventually(async () => (await health(second.port)) === 200)
    const logged = second.output.join('\n')
    expect(logged).toContain('writing updates failed')
    expect(logged).not.toMatch(/medan databasen/)
  })

  it('C1: a server whose database cannot be reached refuses to start and says what to do', async () => {
    const unreachable = cluster.url('postgres').replace(`:${cluster.port}/`, ':1/')
    await expect(startServerProcess(['--postgres', unreachable])).rejects.toThrow(/exited with 3 .*Cannot reach PostgreSQL at .*:1\/postgres.*Check that PostgreSQL runs there/s)
  })
})

describe('config: the PostgreSQL store', () => {
  const env = { MINUTES_SECRET: TEST_SECRET }
  const parse = (argv: string[], extra: Record<string, string> = {}) => parseConfig(argv, { ...env, ...extra })
  const pgUrl = 'postgres://minutes:secret@db.internal:5432/minutes'

  it('O5: --postgres or MINUTES_POSTGRES_URL selects it; SQLite stays the default; contradictions and bad URLs are refused without echoing them', () => {
    expect(parse([])).toMatchObject({ store: 'sqlite', postgresUrl: null })
    expect(parse(['--postgres', pgUrl])).toMatchObject({ store: 'postgres', postgresUrl: pgUrl })
    expect(parse([], { MINUTES_POSTGRES_URL: pgUrl })).toMatchObject({ store: 'postgres', postgresUrl: pgUrl })
    expect(parse(['--store', 'postgres'], { MINUTES_POSTGRES_URL: pgUrl })).toMatchObject({ store: 'postgres', postgresUrl: pgUrl })
    // An explicit --store wins over the environment.
    expect(parse(['--store', 'sqlite'], { MINUTES_POSTGRES_URL: pgUrl })).toMatchObject({ store: 'sqlite', postgresUrl: null })
    expect(() => parse(['--store', 'memory', '--postgres', pgUrl])).toThrow(/contradict/)
    expect(() => parse(['--store', 'postgres'])).toThrow(/--postgres postgres:\/\/.*MINUTES_POSTGRES_URL/)
    expect(() => parse(['--postgres', 'mysql://root:hunter2@db/x'])).toThrow(ConfigError)
    expect(() => parse(['--postgres', 'mysql://root:hunter2@db/x'])).not.toThrow(/hunter2/)
  })
})
