import type { EditorView } from 'prosemirror-view'
import { afterEach } from 'vitest'
import * as Y from 'yjs'
import { createMeetingDoc, getBody } from '../../src/doc'
import { createEditorView, type EditorOptions, type MinutesEditor } from '../../src/editor'

// jsdom has no layout: ProseMirror asks ranges for rectangles when it scrolls to the selection.
const noRects = (): DOMRectList => Object.assign([], { item: () => null }) as unknown as DOMRectList
const zeroRect = (): DOMRect => ({ x: 0, y: 0, top: 0, left: 0, right: 0, bottom: 0, width: 0, height: 0, toJSON: () => ({}) })
if (typeof Range !== 'undefined') {
  Range.prototype.getClientRects ??= noRects
  Range.prototype.getBoundingClientRect ??= zeroRect
}
if (typeof document !== 'undefined') {
  document.elementFromPoint ??= () => null
}

const mounted: MinutesEditor[] = []
afterEach(() => {
  while (mounted.length > 0) mounted.pop()?.destroy()
  document.body.replaceChildren()
})

/** Mounts an editor on `doc` (a new meeting doc by default); torn down after the test. */
export const mountEditor = (
  options: Partial<Omit<EditorOptions, 'fragment'>> & { doc?: Y.Doc } = {},
): { editor: MinutesEditor; view: EditorView; doc: Y.Doc; mount: HTMLElement } => {
  const doc = options.doc ?? createMeetingDoc()
  const mount = document.createElement('div')
  document.body.append(mount)
  const editor = createEditorView(mount, {
    user: { name: 'Anna' },
    now: () => new Date('2023-02-27T09:30:00Z'),
    ...options,
    fragment: getBody(doc),
  })
  mounted.push(editor)
  return { editor, view: editor.view, doc, mount }
}

/** Types `text` character by character, through input rules, as a keyboard would. */
export const type = (view: EditorView, text: string): void => {
  for (const char of text) {
    const { from, to } = view.state.selection
    const handled = view.someProp('handleTextInput', (f) => f(view, from, to, char, () => view.state.tr.insertText(char, from, to)))
    if (!handled) view.dispatch(view.state.tr.insertText(char, from, to))
  }
}

/** Presses a key combination (`Mod-Enter`, `Shift-Tab`, `Enter`) through the editor's keymaps. */
export const press = (view: EditorView, combo: string): boolean => {
  const parts = combo.split('-')
  const key = parts.pop() ?? ''
  const mods = new Set(parts)
  const event = new KeyboardEvent('keydown', {
    key,
    ctrlKey: mods.has('Mod') || mods.has('Ctrl'),
    shiftKey: mods.has('Shift'),
    altKey: mods.has('Alt'),
    bubbles: true,
    cancelable: true,
  })
  return view.someProp('handleKeyDown', (f) => f(view, event)) ?? false
}

/** The text of each agenda item's title, in order. */
export const agendaTitles = (view: EditorView): string[] => {
  const titles: string[] = []
  view.state.doc.forEach((item) => titles.push(item.firstChild?.textContent ?? ''))
  return titles
}

/** The checkboxes of the actions as a user finds them: by accessible name. */
export const checkbox = (mount: HTMLElement, name: string): HTMLInputElement => {
  const boxes = [...mount.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')]
  const found = boxes.find((box) => box.getAttribute('aria-label') === name)
  if (!found) {
    throw new Error(`no checkbox named ${name}; there are: ${boxes.map((b) => b.getAttribute('aria-label')).join(', ')}`)
  }
  return found
}

/** Clicks a checkbox the way a browser does: toggles it, then fires `change`. */
export const click = (box: HTMLInputElement): void => {
  box.checked = !box.checked
  box.dispatchEvent(new Event('change', { bubbles: true }))
}

export { Y }
