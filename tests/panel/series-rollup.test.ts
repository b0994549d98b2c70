import { describe, expect, it } from 'vitest'
import { followUpRollup } from '../../src/series'

describe('the follow-up roll-up, as the seeds write it', () => {
  it('three actions, two done and one in progress, in English and Swedish', () => {
    const statuses = ['done', 'in-progress', 'done'] as const
    expect(followUpRollup(statuses, 'en')).toBe('3 actions up for follow-up: 2 done and closed, 1 in progress')
    expect(followUpRollup(statuses, 'sv')).toBe('3 åtgärder för uppföljning: 2 klara och stängda, 1 pågår')
  })

  it('singular forms, and every status in a fixed order', () => {
    expect(followUpRollup(['done'], 'en')).toBe('1 action up for follow-up: 1 done and closed')
    expect(followUpRollup(['done'], 'sv')).toBe('1 åtgärd för uppföljning: 1 klar och stängd')
    const all = ['open', 'carried', 'dropped', 'in-progress', 'done', 'open'] as const
    expect(followUpRollup(all, 'en')).toBe(
      '6 actions up for follow-up: 1 done and closed, 1 in progress, 1 dropped, 1 carried on, 2 not yet checked in',
    )
    expect(followUpRollup(all, 'sv')).toBe(
      '6 åtgärder för uppföljning: 1 klar och stängd, 1 pågår, 1 struken, 1 förs vidare, 2 ännu inte avstämda',
    )
  })

  it('nothing to follow up', () => {
    expect(followUpRollup([], 'en')).toBe('No actions up for follow-up')
    expect(followUpRollup([], 'sv')).toBe('Inga åtgärder för uppföljning')
  })
})
