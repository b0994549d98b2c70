import { describe, expect, it, onTestFinished } from 'vitest'
import * as Y from 'yjs'
import { createMemoryStore } from '../../sync-server/persistence/memory-store'
import { openSqliteStore } from '../../sync-server/persistence/sqlite-store'
import type { UpdateStore } from '../../sync-server/persistence/store'
import { tempDir } from '../helpers/server'

// One contract, every backend (the house rule: one storage interface, one contract suite). A new backend adds one line to `backends`.
const backends: Array<[string, () => UpdateStore]> = [
  ['memory', () => createMemoryStore()],
  [
    'sqlite',
    () => {
      const dir = tempDir()
      onTestFinished(dir.remove)
      return openSqliteStore(dir.path)
    },
  ],
]

const textUpdates = (count: number): { updates: Uint8Array[]; doc: Y.Doc } => {
  const doc = new Y.Doc()
  const updates: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => updates.push(u))
  for (let i = 0; i < count; i++) doc.getText('t').insert(i, String.fromCharCode(97 + (i % 26)))
  return { updates, doc }
}

const updatesOf = (stored: Array<{ update: Uint8Array }>) => stored.map((s) => s.update)

describe.each(backends)('store contract: %s', (_name, open) => {
  it('D2: an append of several rooms is read back per room, in order', async () => {
    const store = open()
    onTestFinished(() => store.close())
    const a = textUpdates(5)
    const b = textUpdates(3)
    await store.append([
      ...a.updates.slice(0, 3).map((update) => ({ room: 'a', update })),
      ...b.updates.map((update) => ({ room: 'b', update })),
    ])
    await store.append(a.updates.slice(3).map((update) => ({ room: 'a', update })))
    expect(updatesOf(await store.load('a'))).toEqual(a.updates)
    expect(updatesOf(await store.load('b'))).toEqual(b.updates)
    expect(await store.load('never-written')).toEqual([])
  })

  it('D4: compaction replaces the log by one snapshot that holds the same document', async () => {
    const store = open()
    onTestFinished(() => store.close())
    const { updates, doc } = textUpdates(40)
    await store.append(updates.map((update) => ({ room: 'r', update })))
    await store.compact('r', Y.encodeStateAsUpdate(doc))
    const stored = await store.load('r')
    expect(stored).toHaveLength(1)
    const restored = new Y.Doc()
    Y.applyUpdate(restored, stored[0]!.update)
    expect(restored.getText('t').toString()).toBe(doc.getText('t').toString())
    await store.append([{ room: 'r', update: updates[0]! }])
    expect(await store.load('r')).toHaveLength(2)
  })

  it('D6: quarantined updates leave the room\'s log and nothing else does', async () => {
    const store = open()
    onTestFinished(() => store.close())
    const { updates } = textUpdates(4)
    await store.append(updates.map((update) => ({ room: 'r', update })))
    await store.append([{ room: 'other', update: updates[0]! }])
    const stored = await store.load('r')
    await store.quarantine('r', [stored[1]!.id, stored[2]!.id], 'does not apply')
    expect(updatesOf(await store.load('r'))).toEqual([updates[0], updates[3]])
    expect(updatesOf(await store.load('other'))).toEqual([updates[0]])
  })

  it('D8: a checkpoint with no reader in the way completes and keeps every update', async () => {
    const store = open()
    onTestFinished(() => store.close())
    const { updates } = textUpdates(6)
    await store.append(updates.map((update) => ({ room: 'r', update })))
    await expect(store.checkpoint()).resolves.toBe(true)
    expect(updatesOf(await store.load('r'))).toEqual(updates)
    await store.append([{ room: 'r', update: updates[0]! }])
    expect(await store.load('r')).toHaveLength(7)
  })

  it('O1: a working store reports itself writable', async () => {
    const store = open()
    onTestFinished(() => store.close())
    await expect(store.checkWritable()).resolves.toBeUndefined()
  })
})
