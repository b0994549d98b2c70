const COLOUR = /^#[0-9a-fA-F]{6}$/

/**
 * A remote attendee's caret: a coloured bar with their name. Name and colour come from a
 * peer, so the name is set as text and a colour that is not `#rrggbb` is replaced.
 */
export const buildCursor = (user: { name?: unknown; color?: unknown }): HTMLElement => {
  const colour = typeof user.color === 'string' && COLOUR.test(user.color) ? user.color : '#616161'
  const name = typeof user.name === 'string' && user.name !== '' ? user.name : '?'
  const caret = document.createElement('span')
  caret.className = 'ProseMirror-yjs-cursor minutes-cursor'
  caret.style.borderColor = colour
  const label = document.createElement('span')
  label.className = 'minutes-cursor-name'
  label.style.backgroundColor = colour
  label.textContent = name
  caret.append('\u2060', label, '\u2060')
  return caret
}
