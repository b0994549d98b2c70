import { execFile } from 'node:child_process'
import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import * as decoding from 'lib0/decoding'
import { describe, expect, it, onTestFinished } from 'vitest'
import * as Y from 'yjs'
import { MessageType } from '../../src/protocol'
import { SQLITE_FILE_NAME } from '../../sync-server/persistence/sqlite-store'
import { TEST_SECRET, connectClient, makeToken, startServerProcess, startTestServer, tempDir, whenDoc, whenSynced } from '../helpers/server'

const ROOT = join(import.meta.dirname, '..', '..')
const run = promisify(execFile)

/** `npm run backup -- …` without npm. */
const runBackup = async (args: string[]) => {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'sync-server/backup-cli.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, MINUTES_SECRET: TEST_SECRET },
      timeout: 30_000,
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string }
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }
  }
}

describe('O6: backup and restore', () => {
  it('O6: npm run backup copies the store while a client writes; a server on the restored copy serves everything acknowledged before the backup began', async () => {
    const data = tempDir()
    onTestFinished(data.remove)
    const server = await startTestServer({ dataDir: data.path })
    onTestFinished(() => server.close())
    const token = await makeToken({ room: 'space-1/*' })
    const room = 'space-1/styrelsemote'

    // A writer that pushes one item every 2 ms; its acked clock counts the items on disk.
    const writer = connectClient(server.url, room, token, { ack: true, connect: false })
    onTestFinished(() => writer.destroy())
    let acked = 0
    let waiting: { count: number; resolve: () => void } | null = null
    writer.messageHandlers[MessageType.durableAck] = (_encoder, decoder) => {
      acked = Math.max(acked, Y.decodeStateVector(decoding.readVarUint8Array(decoder)).get(writer.doc.clientID) ?? 0)
      if (waiting !== null && acked >= waiting.count) waiting.resolve()
    }
    const whenAcked = (count: number) => new Promise<void>((resolve) => (waiting = { count, resolve }))
    writer.connect()
    await whenSynced(writer)
    const items = writer.doc.getArray<string>('items')
    let written = 0
    const typing = setInterval(() => items.push([`punkt ${written++}`]), 2)
    onTestFinished(() => clearInterval(typing))
    await whenAcked(100)

    const ackedBefore = acked
    const out = join(data.path, 'backup.sqlite')
    const backup = await runBackup(['--data', data.path, '--out', out, '--json'])
    const ackedDuring = acked - ackedBefore
    clearInterval(typing)
    expect(backup.stderr).toBe('')
    expect(backup.code).toBe(0)
    const summary = JSON.parse(backup.stdout) as { file: string; bytes: number; rooms: number; updates: number; ms: number }
    console.log(`backup: ${summary.bytes} bytes, ${summary.updates} updates, ${summary.ms.toFixed(1)} ms; ${ackedDuring} items acknowledged while it ran`)
    expect(summary.rooms).toBe(1)
    // The server kept committing while the backup read.
    expect(ackedDuring).toBeGreaterThan(0)

    // A backup never overwrites.
    const again = await runBackup(['--data', data.path, '--out', out])
    expect(again.code).not.toBe(0)
    expect(again.stderr).toMatch(/exists already/)

    // Restore: the copy becomes the store of a new data directory, and a real server starts on it.
    const restored = tempDir()
    onTestFinished(restored.remove)
    copyFileSync(out, join(restored.path, SQLITE_FILE_NAME))
    const restarted = await startServerProcess(['--data', restored.path, '--log-level', 'warn'])
    onTestFinished(() => restarted.kill9())
    const reader = connectClient(restarted.url, room, token)
    onTestFinished(() => reader.destroy())
    await whenSynced(reader)
    const recovered = reader.doc.getArray<string>('items').toArray()
    expect(recovered.slice(0, ackedBefore)).toEqual(items.toArray().slice(0, ackedBefore))
    expect(recovered.length).toBeLessThanOrEqual(items.length)

    // The restored server takes new writes.
    reader.doc.getArray<string>('items').push(['efter återställning'])
    const second = connectClient(restarted.url, room, token)
    onTestFinished(() => second.destroy())
    await whenDoc(second.doc, (d) => d.getArray('items').toArray().includes('efter återställning'))
  })

  it('O6: npm run backup without --out, or without a store, stops with a message saying what to pass', async () => {
    const empty = tempDir()
    onTestFinished(empty.remove)
    const results = await Promise.all([runBackup(['--data', empty.path]), runBackup(['--data', empty.path, '--out', join(empty.path, 'b.sqlite')])])
    expect(results[0]!.code).not.toBe(0)
    expect(results[0]!.stderr).toMatch(/--out is required/)
    expect(results[1]!.code).not.toBe(0)
    expect(results[1]!.stderr).toMatch(/no store at .*--data/)
  })
})
