/**
 * Colours offered to a new attendee. Each has a contrast of at least 4.5:1 against white, so
 * a name drawn in it (cursor labels, swatches with text) stays readable.
 */
export const PRESENCE_COLORS = ['#1f6feb', '#b3261e', '#1b7f3b', '#8a4baf', '#b35900', '#0b7285'] as const

export const isHexColor = (value: string): boolean => /^#[0-9a-f]{6}$/i.test(value)

export const pickColor = (random: () => number): string =>
  PRESENCE_COLORS[Math.floor(random() * PRESENCE_COLORS.length)] ?? PRESENCE_COLORS[0]
