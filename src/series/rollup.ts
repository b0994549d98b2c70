import type { FollowUpStatus } from './follow-up'

export type RollupLanguage = 'en' | 'sv'

export type RollupCounts = { readonly [S in FollowUpStatus]: number } & { readonly total: number }

export const countStatuses = (statuses: readonly FollowUpStatus[]): RollupCounts => {
  const counts = { open: 0, done: 0, 'in-progress': 0, dropped: 0, carried: 0 }
  for (const status of statuses) counts[status]++
  return { ...counts, total: statuses.length }
}

type Plural = readonly [one: string, many: string]

interface RollupWords {
  none: string
  head: Plural
  parts: { readonly [S in FollowUpStatus]: Plural }
}

// The wording of the seeds ("Tre beslut aktuella för uppföljning. Två åtgärdade och
// avslutas. Ett pågår.") in the panel's two languages.
const WORDS: { readonly [L in RollupLanguage]: RollupWords } = {
  en: {
    none: 'No actions up for follow-up',
    head: ['1 action up for follow-up', '{n} actions up for follow-up'],
    parts: {
      done: ['1 done and closed', '{n} done and closed'],
      'in-progress': ['1 in progress', '{n} in progress'],
      dropped: ['1 dropped', '{n} dropped'],
      carried: ['1 carried on', '{n} carried on'],
      open: ['1 not yet checked in', '{n} not yet checked in'],
    },
  },
  sv: {
    none: 'Inga åtgärder för uppföljning',
    head: ['1 åtgärd för uppföljning', '{n} åtgärder för uppföljning'],
    parts: {
      done: ['1 klar och stängd', '{n} klara och stängda'],
      'in-progress': ['1 pågår', '{n} pågår'],
      dropped: ['1 struken', '{n} strukna'],
      carried: ['1 förs vidare', '{n} förs vidare'],
      open: ['1 ännu inte avstämd', '{n} ännu inte avstämda'],
    },
  },
}

const PART_ORDER: readonly FollowUpStatus[] = ['done', 'in-progress', 'dropped', 'carried', 'open']

const plural = ([one, many]: Plural, n: number): string => (n === 1 ? one : many.replace('{n}', String(n)))

/**
 * The follow-up in one sentence, the way the seeds write it: "3 actions up for follow-up:
 * 2 done and closed, 1 in progress" / "3 åtgärder för uppföljning: 2 klara och stängda,
 * 1 pågår". Statuses with no action are left out.
 */
export const followUpRollup = (statuses: readonly FollowUpStatus[], language: RollupLanguage): string => {
  const words = WORDS[language]
  const counts = countStatuses(statuses)
  if (counts.total === 0) return words.none
  const parts = PART_ORDER.filter((status) => counts[status] > 0).map((status) => plural(words.parts[status], counts[status]))
  return `${plural(words.head, counts.total)}: ${parts.join(', ')}`
}
