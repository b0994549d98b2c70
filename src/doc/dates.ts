/**
 * A date as Swedish minutes write it, ISO `YYYY-MM-DD`, from what a person types: `2026-03-25`,
 * `2026-3-5`, `20260325` or `2026/03/25`. `''` for an empty field; `null` when it is not a real
 * date (so 2026-02-30 is refused, not moved to March).
 */
export const normaliseIsoDate = (typed: string): string | null => {
  const text = typed.trim()
  if (text === '') return ''
  const match = /^(\d{4})[-/.]?(\d{1,2})[-/.]?(\d{1,2})$/.exec(text)
  if (match === null) return null
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/**
 * A time as Swedish minutes write it, 24-hour `HH:MM`, from what a person types: `9`, `09`,
 * `930`, `0930`, `9.30`, `9:30` or `09.00`. `''` for an empty field; `null` when it is not a time.
 */
export const normaliseTime = (typed: string): string | null => {
  const text = typed.trim()
  if (text === '') return ''
  const match = /^(\d{1,2})(?:[:.]?(\d{2}))?$/.exec(text)
  if (match === null) return null
  const hours = Number(match[1])
  const minutes = Number(match[2] ?? '0')
  if (hours > 23 || minutes > 59) return null
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`
}
