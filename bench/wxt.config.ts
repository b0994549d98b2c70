/**
 * The extension's own WXT configuration, built into a directory of the benchmark's own
 * (`.output/bench`) so a benchmark build never replaces the build other tests are using, plus
 * a Rollup hook that records every module's rendered size for benchmark 9, and source maps.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { defineConfig } from 'wxt'
import base from '../wxt.config'

export const BENCH_OUT_DIR = '.output/bench'
export const MODULE_SIZES_DIR = 'module-sizes'

export default defineConfig({
  ...base,
  root: join(import.meta.dirname, '..'),
  outDir: BENCH_OUT_DIR,
  vite: () => ({
    // Maps without the `sourceMappingURL` comment: the bundle's bytes stay as shipped, and the
    // panel's CPU profile (benchmark 7) is read back to packages and source files through them.
    build: { sourcemap: 'hidden' },
    plugins: [
      {
        name: 'minutes-bench-module-sizes',
        generateBundle(_options: unknown, bundle: Record<string, { type: string; fileName: string; modules?: Record<string, { renderedLength: number; code: string | null }> }>) {
          const chunks = Object.values(bundle)
            .filter((output) => output.type === 'chunk')
            .map((chunk) => ({
              fileName: chunk.fileName,
              modules: Object.entries(chunk.modules ?? {}).map(([id, m]) => ({ id, renderedLength: m.renderedLength, code: m.code ?? '' })),
            }))
          if (chunks.length === 0) return
          const dir = join(import.meta.dirname, '..', BENCH_OUT_DIR, MODULE_SIZES_DIR)
          mkdirSync(dir, { recursive: true })
          writeFileSync(join(dir, `${chunks[0]!.fileName.replace(/[^A-Za-z0-9.-]/g, '_')}.json`), JSON.stringify(chunks))
        },
      },
    ],
  }),
})
