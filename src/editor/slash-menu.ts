import { Plugin, type Command, type EditorState, type Transaction } from 'prosemirror-state'
import type { EditorView } from 'prosemirror-view'
import { ySyncPluginKey } from 'y-prosemirror'
import { newId } from '../doc/ids'
import { nodeType } from '../doc/schema'
import { slashMenuKey, type SlashMenuState } from './keys'

/** An icon as Lucide describes one: SVG child elements and their attributes (24 × 24 view box). */
export type SlashIcon = ReadonlyArray<readonly [string, Readonly<Record<string, string | number | undefined>>]>

/** One entry of the "/" menu: the same command the toolbar runs, under its label. */
export interface SlashCommand {
  id: string
  /** In the panel's language; what the typed filter matches. */
  label: string
  command: Command
  icon?: SlashIcon
}

export interface SlashMenuOptions {
  /** The entries, in the order shown when nothing is typed after "/". */
  commands: () => readonly SlashCommand[]
  /** The accessible name of the list. */
  label: string
  /** Shown when nothing matches what was typed. */
  empty: (query: string) => string
}

type SlashMeta = { type: 'open'; from: number } | { type: 'close' } | { type: 'move'; index: number }

const MAX_QUERY = 40

const fold = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()

/**
 * The entries matching `query`: each of its words appears in the label (case and accents
 * ignored: "atgard" finds "Åtgärd"); labels that start with it come first, then labels with a
 * word that does, in the order given.
 */
export const filterSlashCommands = (commands: readonly SlashCommand[], query: string): SlashCommand[] => {
  const wanted = fold(query).trim()
  if (wanted === '') return [...commands]
  const words = wanted.split(/\s+/)
  const rank = (label: string): number => {
    if (label.startsWith(wanted)) return 0
    return label.split(/[^\p{L}\p{N}]+/u).some((word) => word.startsWith(words[0]!)) ? 1 : 2
  }
  return commands
    .map((entry, order) => ({ entry, order, label: fold(entry.label) }))
    .filter(({ label }) => words.every((word) => label.includes(word)))
    .sort((a, b) => rank(a.label) - rank(b.label) || a.order - b.order)
    .map(({ entry }) => entry)
}

/** The text typed after the "/" at `from`, or null when the caret is no longer right after it in that block. */
const queryAt = (state: EditorState, from: number): string | null => {
  const { selection } = state
  if (!selection.empty) return null
  const $head = selection.$head
  if (!$head.parent.isTextblock || from < $head.start() || from >= $head.pos) return null
  if (state.doc.textBetween(from, from + 1) !== '/') return null
  const query = state.doc.textBetween(from + 1, $head.pos, '\n', '\n')
  if (query.length > MAX_QUERY || /^\s|\n|\s\s/.test(query)) return null
  return query
}

/** "/" opens the menu at the start of an empty paragraph or after a space. */
const opensHere = (state: EditorState, from: number, to: number): boolean => {
  const $from = state.doc.resolve(from)
  const $to = state.doc.resolve(to)
  if ($from.parent.type !== nodeType('paragraph') || !$from.sameParent($to)) return false
  if ($from.parentOffset === 0) return $to.parentOffset === $to.parent.content.size
  return /\s$/.test($from.parent.textBetween(0, $from.parentOffset, undefined, '\ufffc'))
}

const close = (state: EditorState): Transaction => state.tr.setMeta(slashMenuKey, { type: 'close' } satisfies SlashMeta)

/**
 * Runs `entry` for the open menu: removes "/query", runs the entry's command on what is left,
 * and drops the paragraph the "/" was typed in when the command left it empty behind the
 * cursor (an agenda item, a party input inserted after it). One transaction, so one undo.
 * A command that does not apply (an attachment whose name was not given) leaves the text as
 * typed and closes the menu.
 */
const runEntry = (view: EditorView, menu: SlashMenuState, entry: SlashCommand): void => {
  const { state } = view
  const tr = state.tr.delete(menu.from, state.selection.head).setMeta(slashMenuKey, { type: 'close' } satisfies SlashMeta)
  let next: Transaction | null = null
  const applied = entry.command(state.apply(tr), (result) => (next = result), view)
  const result = next as Transaction | null
  if (!applied || result === null) {
    view.dispatch(close(state))
    view.focus()
    return
  }
  const firstStep = tr.steps.length
  for (const step of result.steps) tr.step(step)
  tr.setSelection(result.selection.getBookmark().resolve(tr.doc))
  if (result.storedMarks !== null) tr.setStoredMarks(result.storedMarks)
  const $left = tr.doc.resolve(tr.mapping.slice(firstStep).map(menu.from, -1))
  const block = $left.parent
  const cursor = tr.selection.from
  if (block.type === nodeType('paragraph') && block.content.size === 0 && (cursor < $left.before() || cursor > $left.after())) {
    const parent = $left.node($left.depth - 1)
    const index = $left.index($left.depth - 1)
    if (parent.canReplace(index, index + 1)) tr.delete($left.before(), $left.after())
  }
  view.dispatch(tr.scrollIntoView())
  view.focus()
}

const svgNs = 'http://www.w3.org/2000/svg'

const drawIcon = (icon: SlashIcon): SVGElement => {
  const svg = document.createElementNS(svgNs, 'svg')
  const attrs = { width: '18', height: '18', viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', 'stroke-width': '2', 'stroke-linecap': 'round', 'stroke-linejoin': 'round', 'aria-hidden': 'true', focusable: 'false', class: 'icon' }
  for (const [name, value] of Object.entries(attrs)) svg.setAttribute(name, value)
  for (const [tag, childAttrs] of icon) {
    const child = document.createElementNS(svgNs, tag)
    for (const [name, value] of Object.entries(childAttrs)) if (value !== undefined) child.setAttribute(name, String(value))
    svg.append(child)
  }
  return svg
}

/** The menu's DOM: a `listbox` beside the editor, positioned under the "/" (above it near the bottom of the window). */
class SlashMenuView {
  private readonly root = document.createElement('div')
  private readonly list = document.createElement('div')
  private readonly empty = document.createElement('p')
  private drawn = ''

  constructor(
    private readonly view: EditorView,
    private readonly options: SlashMenuOptions,
    readonly listId: string,
  ) {
    this.root.className = 'slash-menu'
    this.root.hidden = true
    this.list.id = listId
    this.list.setAttribute('role', 'listbox')
    this.list.setAttribute('aria-label', options.label)
    this.empty.className = 'slash-empty'
    this.root.append(this.list, this.empty)
    // Keep the caret in the text: a mousedown on the menu would move the focus first.
    this.root.addEventListener('mousedown', (event) => event.preventDefault())
    this.root.addEventListener('click', (event) => {
      const option = (event.target as Element).closest<HTMLElement>('[role="option"]')
      const menu = slashMenuKey.getState(this.view.state)
      const entry = this.options.commands().find((candidate) => candidate.id === option?.dataset.command)
      if (menu != null && entry !== undefined) runEntry(this.view, menu, entry)
    })
    ;(view.dom.parentElement ?? document.body).append(this.root)
    this.update()
  }

  update(): void {
    const menu = slashMenuKey.getState(this.view.state)
    if (menu == null) {
      this.root.hidden = true
      this.drawn = ''
      return
    }
    const matches = filterSlashCommands(this.options.commands(), menu.query)
    const drawing = `${menu.query}\n${menu.index}\n${matches.map((entry) => `${entry.id}:${entry.label}`).join('\n')}`
    if (drawing !== this.drawn) {
      this.drawn = drawing
      this.list.replaceChildren(
        ...matches.map((entry, index) => {
          const option = document.createElement('div')
          option.id = `${this.listId}-${entry.id}`
          option.className = 'slash-option'
          option.dataset.command = entry.id
          option.setAttribute('role', 'option')
          option.setAttribute('aria-selected', String(index === menu.index))
          if (entry.icon !== undefined) option.append(drawIcon(entry.icon))
          const label = document.createElement('span')
          label.textContent = entry.label
          option.append(label)
          return option
        }),
      )
      this.list.hidden = matches.length === 0
      this.empty.hidden = matches.length > 0
      this.empty.textContent = matches.length === 0 ? this.options.empty(menu.query) : ''
    }
    this.root.hidden = false
    this.place(menu.from)
    ;(this.list.children[menu.index] as HTMLElement | undefined)?.scrollIntoView?.({ block: 'nearest' })
  }

  private place(from: number): void {
    const parent = this.root.offsetParent ?? document.body
    const box = parent.getBoundingClientRect()
    const caret = this.view.coordsAtPos(from)
    const width = this.root.offsetWidth
    const height = this.root.offsetHeight
    const left = Math.max(0, Math.min(caret.left - box.left, parent.clientWidth - width))
    const below = caret.bottom + 4 + height <= window.innerHeight || caret.top - 4 - height < 0
    const top = below ? caret.bottom - box.top + 4 : caret.top - box.top - 4 - height
    this.root.style.left = `${Math.round(left)}px`
    this.root.style.top = `${Math.round(top + parent.scrollTop)}px`
  }

  destroy(): void {
    this.root.remove()
  }
}

/**
 * The "/" menu: typing "/" at the start of an empty paragraph, or after a space, opens a list
 * of commands at the caret. What is typed after the "/" filters it; ArrowUp and ArrowDown move,
 * Enter or Tab runs the active entry (which removes "/query" first), Escape closes it and
 * leaves the text as typed, a click runs an entry.
 *
 * The menu is a `listbox`; the editor carries `aria-controls` and `aria-activedescendant`, so a
 * screen reader follows the active entry while the caret stays in the text. It survives what
 * others type: local steps map its position; a remote change, which y-prosemirror applies as
 * one replacement of the whole document (and after which it restores the caret from Yjs
 * relative positions), is followed from the caret back over the typed query.
 */
export const slashMenuPlugin = (options: SlashMenuOptions): Plugin<SlashMenuState | null> => {
  const listId = `slash-${newId()}`
  const matchesOf = (menu: SlashMenuState) => filterSlashCommands(options.commands(), menu.query)
  return new Plugin<SlashMenuState | null>({
    key: slashMenuKey,
    state: {
      init: () => null,
      apply(tr, menu, _old, state): SlashMenuState | null {
        const meta = tr.getMeta(slashMenuKey) as SlashMeta | undefined
        if (meta?.type === 'close') return null
        if (meta?.type === 'open') return queryAt(state, meta.from) === null ? null : { from: meta.from, query: '', index: 0 }
        if (menu === null) return null
        if (meta?.type === 'move') return { ...menu, index: meta.index }
        if (!tr.docChanged && !tr.selectionSet) return menu
        const remote = (tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin === true
        const candidates = remote ? [state.selection.head - 1 - menu.query.length] : [tr.mapping.map(menu.from, 1)]
        for (const from of candidates) {
          const query = queryAt(state, from)
          if (query !== null) return { from, query, index: query === menu.query ? menu.index : 0 }
        }
        return null
      },
    },
    view: (view) => new SlashMenuView(view, options, listId),
    props: {
      handleTextInput(view, from, to, text) {
        if (text !== '/' || slashMenuKey.getState(view.state) != null || !opensHere(view.state, from, to)) return false
        view.dispatch(view.state.tr.insertText('/', from, to).setMeta(slashMenuKey, { type: 'open', from } satisfies SlashMeta))
        return true
      },
      handleKeyDown(view, event) {
        const menu = slashMenuKey.getState(view.state)
        if (menu == null || event.ctrlKey || event.metaKey || event.altKey) return false
        const matches = matchesOf(menu)
        const move = (by: number) => {
          if (matches.length === 0) return false
          const index = (menu.index + by + matches.length) % matches.length
          view.dispatch(view.state.tr.setMeta(slashMenuKey, { type: 'move', index } satisfies SlashMeta))
          return true
        }
        switch (event.key) {
          case 'ArrowDown':
            return move(1)
          case 'ArrowUp':
            return move(-1)
          case 'Enter':
          case 'Tab': {
            const entry = matches[menu.index]
            if (entry === undefined || event.shiftKey) {
              view.dispatch(close(view.state))
              return false
            }
            runEntry(view, menu, entry)
            return true
          }
          case 'Escape':
            view.dispatch(close(view.state))
            return true
          default:
            return false
        }
      },
      handleDOMEvents: {
        blur(view) {
          if (slashMenuKey.getState(view.state) != null) view.dispatch(close(view.state))
          return false
        },
      },
      attributes(state): Record<string, string> {
        const menu = slashMenuKey.getState(state)
        if (menu == null) return {}
        const active = matchesOf(menu)[menu.index]
        return active === undefined ? { 'aria-controls': listId } : { 'aria-controls': listId, 'aria-activedescendant': `${listId}-${active.id}` }
      },
    },
  })
}
