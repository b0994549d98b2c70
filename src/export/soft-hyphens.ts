/**
 * Break points for long words in the print page's table, whose narrow columns would otherwise
 * cut "Förvaltningsledningsgrupp" anywhere and without a hyphen (Chromium has no Swedish
 * hyphenation dictionary offline, so `hyphens: auto` does nothing here). A soft hyphen
 * (U+00AD) is invisible until the line breaks there, and then prints as "-".
 *
 * The rule is Swedish typesetting's simple one: a break goes before the last consonant in
 * front of a vowel ("grup-pen", "valt-nings"), except that a consonant pair that starts
 * syllables ("gr", "dr", "st", "ch") moves as one ("nings-grupp", "fö-re-dra-gande") and
 * "ng" is never split ("av-del-ningarna"). It does not know compounds, so it can miss the best break
 * ("sa-mord-nings"); it never breaks within the first two or the last three letters.
 */
const VOWEL = /[aeiouyåäöéèüæø]/i
const LETTER = /\p{L}/u
const ONSETS = new Set(['bl', 'br', 'ch', 'dr', 'fl', 'fr', 'gl', 'gr', 'kl', 'kr', 'pl', 'pr', 'sk', 'sp', 'st', 'tr'])
const SOFT_HYPHEN = '\u00ad'

const isVowel = (char: string | undefined): boolean => char !== undefined && VOWEL.test(char)
const isConsonant = (char: string | undefined): boolean => char !== undefined && LETTER.test(char) && !VOWEL.test(char)

/** `word` with soft hyphens where it may break; words under `minLength` letters are left whole. */
export const softHyphenateWord = (word: string, minLength = 10): string => {
  const chars = [...word]
  if (chars.length < minLength) return word
  const breaks = new Set<number>()
  for (let at = 2; at <= chars.length - 3; at += 1) {
    if (!isConsonant(chars[at]) || !isVowel(chars[at + 1])) continue
    if (!chars.slice(0, at).some((char) => isVowel(char))) continue
    const pair = `${chars[at - 1]}${chars[at]}`.toLowerCase()
    if (pair === 'ng') continue
    const point = ONSETS.has(pair) && at - 1 >= 2 ? at - 1 : at
    // Two breaks never leave a single letter between them.
    if ([...breaks].some((other) => Math.abs(other - point) < 2)) continue
    breaks.add(point)
  }
  return chars.map((char, index) => (breaks.has(index) ? SOFT_HYPHEN + char : char)).join('')
}

/** Soft hyphens in every long word of `text` (plain text or HTML text between tags). */
export const softHyphenate = (text: string, minLength = 10): string =>
  text.replace(/\p{L}+/gu, (word) => softHyphenateWord(word, minLength))

/** Soft hyphens in the text of an HTML fragment, never inside its tags or entities. */
export const softHyphenateHtml = (html: string, minLength = 10): string =>
  html
    .split(/(<[^>]*>|&[#\w]+;)/)
    .map((part) => (part.startsWith('<') || part.startsWith('&') ? part : softHyphenate(part, minLength)))
    .join('')
