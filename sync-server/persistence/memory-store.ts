import { storedUnnumbered, type Member, type MemberChange, type NewMember, type Store, type StoreEntry, type StoredUpdate } from './store'

/** Keeps rooms in memory only: for tests and for measuring what durability costs. */
export const createMemoryStore = (): Store => {
  const rooms = new Map<string, StoredUpdate[]>()
  const quarantined: Array<StoredUpdate & { room: string; reason: string }> = []
  let nextId = 1
  const append = (room: string, update: Uint8Array) => {
    let log = rooms.get(room)
    if (log === undefined) rooms.set(room, (log = []))
    log.push({ id: nextId++, update })
  }
  const members = new Map<string, NewMember & { revokedAt: number | null }>()
  const publicMember = ({ keyHash: _keyHash, ...member }: NewMember & { revokedAt: number | null }): Member => ({ ...member })
  /** The unrevoked member `id` of `space`, or why it cannot change (see `MemberStore`). */
  const checkChange = (space: string, id: string, keepsOwner: boolean): MemberChange | NewMember & { revokedAt: number | null } => {
    const member = members.get(id)
    if (member === undefined || member.space !== space || member.revokedAt !== null) return 'not-found'
    if (member.role !== 'owner' || keepsOwner) return member
    let owners = 0
    for (const m of members.values()) if (m.space === space && m.role === 'owner' && m.revokedAt === null) owners++
    return owners <= 1 ? 'last-owner' : member
  }
  return {
    async addMember(member) {
      if (members.has(member.id)) throw new Error(`member ${member.id} exists`)
      for (const m of members.values()) if (m.keyHash === member.keyHash) throw new Error('member key hash exists')
      members.set(member.id, { ...member, revokedAt: null })
    },
    async member(id) {
      const member = members.get(id)
      return member === undefined ? null : publicMember(member)
    },
    async memberByKeyHash(keyHash) {
      for (const member of members.values()) if (member.keyHash === keyHash) return publicMember(member)
      return null
    },
    async members(space) {
      return [...members.values()].filter((m) => m.space === space).map(publicMember)
    },
    async revokeMember(space, id, at) {
      const checked = checkChange(space, id, false)
      if (typeof checked === 'string') return checked
      checked.revokedAt = at
      return 'done'
    },
    async setMemberRole(space, id, role) {
      const checked = checkChange(space, id, role === 'owner')
      if (typeof checked === 'string') return checked
      checked.role = role
      return 'done'
    },
    async load(room) {
      return [...(rooms.get(room) ?? [])]
    },
    async append(entries: ReadonlyArray<StoreEntry>) {
      for (const { room, update } of entries) append(room, update)
      return storedUnnumbered(entries)
    },
    async compact(room, snapshot) {
      rooms.delete(room)
      append(room, snapshot)
    },
    async quarantine(room, ids, reason) {
      const log = rooms.get(room) ?? []
      for (const entry of log) if (ids.includes(entry.id)) quarantined.push({ ...entry, room, reason })
      rooms.set(room, log.filter((entry) => !ids.includes(entry.id)))
    },
    async stamps(prefix) {
      const stamps = new Map<string, string>()
      // Ids only grow and a log stays in id order, so its last row's id moves with every append,
      // compaction and quarantine of the newest row.
      for (const [room, log] of rooms) {
        const last = log.at(-1)
        if (room.startsWith(prefix) && last !== undefined) stamps.set(room, String(last.id))
      }
      return stamps
    },
    async checkpoint() {
      return true
    },
    async checkWritable() {},
    async close() {
      rooms.clear()
      members.clear()
    },
  }
}
