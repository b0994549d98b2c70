import { execFileSync } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { describe, expect, it } from 'vitest'

// A user has only the clone: nothing the project runs, tests or cites may live beside it.
// This reads every tracked text file and fails on a relative path that climbs above the
// repository root, on `join(…, '..', '..')` chains that do, and on names of files that only
// ever existed outside the repository (notes handed to the engineers, machine paths).

const ROOT = resolve(import.meta.dirname, '../..')
const BINARY = /\.(gz|png|jpe?g|gif|ico|pdf|docx|zip|woff2?|sqlite)$/i

const OUTSIDE_NAMES = ['PERFORMANCE_NOTES', 'TESTING_NOTES', 'HOUSE_STYLE', 'bench-data/', '/work/', '/tmp/bash_jobs']
// This file spells out what it looks for, so it does not read itself.
const SELF = relative(ROOT, import.meta.filename)

const trackedFiles = (): string[] => {
  let out: string
  try {
    out = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  } catch (error) {
    throw new Error(`This check lists the repository's files with \`git ls-files\`: run it in a git clone (${String(error)})`)
  }
  return out.split('\0').filter((file) => file !== '' && file !== SELF && !BINARY.test(file) && file !== 'package-lock.json')
}

interface Finding {
  file: string
  line: number
  text: string
}

const isOutside = (target: string): boolean => {
  const rel = relative(ROOT, target)
  return rel === '..' || rel.startsWith(`..${sep}`)
}

/** Every place in `source` (of `file`) that names a path above the repository root. */
export const outsideReferences = (file: string, source: string): Finding[] => {
  const findings: Finding[] = []
  const base = dirname(join(ROOT, file))
  const lines = source.split('\n')
  lines.forEach((text, index) => {
    const report = (): void => {
      findings.push({ file, line: index + 1, text: text.trim().slice(0, 160) })
    }
    // '../../x' style, in imports, strings, links and prose alike.
    for (const match of text.matchAll(/(?<![\w.])((?:\.\.\/)+)[\w.@-]*/g)) {
      if (isOutside(resolve(base, match[0]))) report()
    }
    // join(import.meta.dirname, '..', '..', 'x'): count the '..' arguments of one call.
    for (const match of text.matchAll(/(?:['"]\.\.['"]\s*,\s*)+(?:['"]\.\.['"])?/g)) {
      const climbs = match[0].match(/['"]\.\.['"]/g)?.length ?? 0
      if (isOutside(resolve(base, ...Array<string>(climbs).fill('..')))) report()
    }
    for (const name of OUTSIDE_NAMES) {
      if (text.includes(name)) report()
    }
  })
  return findings
}

describe('the repository stands alone', () => {
  it('finds a path above the root, a join() that climbs out, and an outside name (the check can fail)', () => {
    expect(outsideReferences('bench/lib/x.ts', "join(import.meta.dirname, '..', '..', '..', 'elsewhere')")).toHaveLength(1)
    expect(outsideReferences('tests/e2e/x.ts', "readFileSync('../../../elsewhere/data.json')")).toHaveLength(1)
    expect(outsideReferences('docs/x.md', `see ${OUTSIDE_NAMES[0]}.md`)).toHaveLength(1)
    expect(outsideReferences('tests/e2e/x.ts', "import { a } from '../../src/a'")).toHaveLength(0)
    expect(outsideReferences('bench/lib/x.ts', "join(import.meta.dirname, '..', 'data')")).toHaveLength(0)
  })

  it('no tracked file refers to a path outside the repository', () => {
    const findings: Finding[] = []
    for (const file of trackedFiles()) {
      const path = join(ROOT, file)
      let size: number
      try {
        size = statSync(path).size
      } catch {
        continue // deleted in the work tree, not yet in the index
      }
      if (size > 4 * 1024 * 1024) continue
      findings.push(...outsideReferences(file, readFileSync(path, 'utf8')))
    }
    expect(findings.map((f) => `${f.file}:${f.line}: ${f.text}`)).toEqual([])
  })
})
