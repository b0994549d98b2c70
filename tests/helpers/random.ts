/** A small seeded PRNG (mulberry32): the same seed gives the same run. */
export const createRandom = (seed: number) => {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    seed,
    next,
    /** An integer in [min, max]. */
    int: (min: number, max: number): number => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    bool: (p = 0.5): boolean => next() < p,
    bytes: (length: number): Uint8Array => {
      const out = new Uint8Array(length)
      for (let i = 0; i < length; i++) out[i] = Math.floor(next() * 256)
      return out
    },
  }
}
export type Random = ReturnType<typeof createRandom>

/** The seed from `envName`, or a fresh one; printed so a failure can be replayed. */
export const seedFromEnv = (envName: string): number => {
  const fromEnv = process.env[envName]
  const seed = fromEnv !== undefined ? Number(fromEnv) : Math.floor(Math.random() * 2 ** 31)
  console.log(`${envName}=${seed}`)
  return seed
}
