import { setBlockType, toggleMark, wrapIn } from 'prosemirror-commands'
import type { Attrs, Node as PMNode, NodeType, ResolvedPos } from 'prosemirror-model'
import { liftListItem, sinkListItem, splitListItem, wrapInList } from 'prosemirror-schema-list'
import { NodeSelection, TextSelection, type Command, type EditorState } from 'prosemirror-state'
import { newId } from '../doc/ids'
import { nodeType, schema, type AgendaKind } from '../doc/schema'

interface Found {
  node: PMNode
  /** Position before the node. */
  pos: number
}

const findAncestor = ($pos: ResolvedPos, type: NodeType): Found | null => {
  for (let depth = $pos.depth; depth > 0; depth--) {
    const node = $pos.node(depth)
    if (node.type === type) return { node, pos: $pos.before(depth) }
  }
  return null
}

const selected = (state: EditorState, type: NodeType): Found | null => {
  const { selection } = state
  if (selection instanceof NodeSelection && selection.node.type === type) {
    return { node: selection.node, pos: selection.from }
  }
  return findAncestor(selection.$from, type)
}

/** The action item at the cursor (or selected), with its position. */
export const actionAt = (state: EditorState): Found | null => selected(state, nodeType('action_item'))

/** The agenda item the cursor is in, with its position. */
export const agendaItemAt = (state: EditorState): Found | null => selected(state, nodeType('agenda_item'))

/** Who ticks, and when: the attributes a tick writes. */
export interface Ticker {
  name: string
  now?: () => Date
}

/**
 * Ticks or unticks the action at `pos`. Only the action's own attributes change, and each
 * is its own key of its Y.XmlElement, so someone ticking another action at the same moment
 * never loses their tick; two people ticking this one converge to the same state.
 */
export const setActionDoneAt =
  (pos: number, done: boolean, by: Ticker): Command =>
  (state, dispatch) => {
    const node = state.doc.nodeAt(pos)
    if (node === null || node.type !== nodeType('action_item')) return false
    if (dispatch) {
      const attrs: Attrs = done
        ? { ...node.attrs, status: 'done', checkedBy: by.name, checkedAt: (by.now ?? (() => new Date()))().toISOString() }
        : { ...node.attrs, status: 'open', checkedBy: '', checkedAt: '' }
      dispatch(state.tr.setNodeMarkup(pos, undefined, attrs))
    }
    return true
  }

/** Toggles the action at the cursor (Mod-Enter). Not applicable outside an action. */
export const toggleAction =
  (by: Ticker): Command =>
  (state, dispatch) => {
    const found = actionAt(state)
    if (found === null) return false
    return setActionDoneAt(found.pos, found.node.attrs.status !== 'done', by)(state, dispatch)
  }

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

/** Sets attributes (responsible, due) of the action at `pos`; a due date must be ISO `YYYY-MM-DD` or empty. */
export const setActionAttrsAt =
  (pos: number, attrs: { responsible?: string; due?: string }): Command =>
  (state, dispatch) => {
    const node = state.doc.nodeAt(pos)
    if (node === null || node.type !== nodeType('action_item')) return false
    if (attrs.due !== undefined && attrs.due !== '' && !ISO_DATE.test(attrs.due)) return false
    if (dispatch) dispatch(state.tr.setNodeMarkup(pos, undefined, { ...node.attrs, ...attrs }))
    return true
  }

/** Sets attributes of the action at the cursor (responsible, due). */
export const setActionAttrs =
  (attrs: { responsible?: string; due?: string }): Command =>
  (state, dispatch) => {
    const found = actionAt(state)
    return found !== null && setActionAttrsAt(found.pos, attrs)(state, dispatch)
  }

/** Sets the responsible (a person id or free initials) of the action at the cursor. */
export const setResponsible = (responsible: string): Command => setActionAttrs({ responsible })

/** Sets the due date (ISO `YYYY-MM-DD`, or empty) of the action at the cursor. */
export const setDue = (due: string): Command => setActionAttrs({ due })

/**
 * Turns the paragraph at the cursor into `type`, or, where that is not possible (a title, a
 * list's first paragraph, another kind of block), inserts an empty `type` after the block
 * the cursor is in and moves the cursor into it.
 */
const setOrInsertTextblock =
  (type: NodeType, attrs: () => Attrs): Command =>
  (state, dispatch) => {
    const { $from } = state.selection
    if ($from.parent.type === nodeType('paragraph') && setBlockType(type, attrs())(state)) {
      return setBlockType(type, attrs())(state, dispatch)
    }
    return insertBlockAfter(type.create(attrs()))(state, dispatch)
  }

/**
 * Inserts `node` after the innermost block around the cursor whose parent accepts it, and
 * puts the cursor at its start.
 */
const insertBlockAfter =
  (node: PMNode): Command =>
  (state, dispatch) => {
    const { $from } = state.selection
    for (let depth = $from.depth; depth > 0; depth--) {
      const parent = $from.node(depth - 1)
      const index = $from.indexAfter(depth - 1)
      if (!parent.canReplaceWith(index, index, node.type)) continue
      if (dispatch) {
        const pos = $from.after(depth)
        const tr = state.tr.insert(pos, node)
        const inside = node.isTextblock ? pos + 1 : node.isAtom ? pos : pos + 2
        tr.setSelection(node.isAtom ? NodeSelection.create(tr.doc, pos) : TextSelection.create(tr.doc, inside))
        dispatch(tr.scrollIntoView())
      }
      return true
    }
    return false
  }

/** Starts an action (a new id, open): the paragraph at the cursor becomes one, or one is inserted. */
export const insertAction = (attrs: { responsible?: string; due?: string } = {}): Command =>
  setOrInsertTextblock(nodeType('action_item'), () => ({ id: newId(), status: 'open', ...attrs }))

/** Starts a decision ("Beslut: …"): the paragraph at the cursor becomes one, or one is inserted. */
export const insertDecision = (): Command => setOrInsertTextblock(nodeType('decision'), () => ({ id: newId() }))

/** Turns the block at the cursor back into plain text. */
export const setParagraph = (): Command => setBlockType(nodeType('paragraph'))

/** Turns the paragraph at the cursor into a heading inside the agenda item. */
export const setHeading = (level = 3): Command => setBlockType(nodeType('heading'), { level })

/** Inserts input from a party (one paragraph, cursor in it) after the block at the cursor. */
export const insertPartyInput = (label = ''): Command =>
  insertBlockAfter(nodeType('party_input').create({ label }, nodeType('paragraph').create()))

/** Sets the name or the link of the attachment at `pos` (a position before the node). */
export const setAttachmentAttrsAt =
  (pos: number, attrs: { name?: string; href?: string }): Command =>
  (state, dispatch) => {
    const node = state.doc.nodeAt(pos)
    if (node === null || node.type !== nodeType('attachment')) return false
    if (dispatch) dispatch(state.tr.setNodeMarkup(pos, undefined, { ...node.attrs, ...attrs }))
    return true
  }

/** Inserts a reference to an attached document after the block at the cursor. */
export const insertAttachment = (name: string, href = ''): Command =>
  insertBlockAfter(nodeType('attachment').create({ name, href }))

/**
 * Inserts a new agenda item after the one at the cursor (or at the end) and puts the cursor
 * in its title.
 */
export const insertAgendaItem =
  (kind: AgendaKind = 'information', presenter = ''): Command =>
  (state, dispatch) => {
    const item = nodeType('agenda_item').create(
      { id: newId(), kind, presenter },
      nodeType('agenda_title').create(),
    )
    const current = agendaItemAt(state)
    const pos = current === null ? state.doc.content.size : current.pos + current.node.nodeSize
    if (dispatch) {
      const tr = state.tr.insert(pos, item)
      tr.setSelection(TextSelection.create(tr.doc, pos + 2))
      dispatch(tr.scrollIntoView())
    }
    return true
  }

/**
 * A check-in or check-out round ("Incheckning", "Utcheckning"): a new agenda item of that kind
 * with `title` as its title, the cursor after the title.
 */
export const insertRound =
  (kind: 'checkin' | 'checkout', title: string): Command =>
  (state, dispatch) =>
    insertAgendaItem(kind)(state, (tr) => {
      const { from } = tr.selection
      tr.insertText(title, from)
      tr.setSelection(TextSelection.create(tr.doc, from + title.length))
      dispatch?.(tr)
    })

/** Sets the kind or the presenter of the agenda item at `pos`. */
export const setAgendaAttrsAt =
  (pos: number, attrs: { kind?: AgendaKind; presenter?: string }): Command =>
  (state, dispatch) => {
    const node = state.doc.nodeAt(pos)
    if (node === null || node.type !== nodeType('agenda_item')) return false
    if (dispatch) dispatch(state.tr.setNodeMarkup(pos, undefined, { ...node.attrs, ...attrs }))
    return true
  }

const setAgendaAttr =
  (attrs: { kind?: AgendaKind; presenter?: string }): Command =>
  (state, dispatch) => {
    const found = agendaItemAt(state)
    return found !== null && setAgendaAttrsAt(found.pos, attrs)(state, dispatch)
  }

/** Sets the kind of the agenda item at the cursor. */
export const setAgendaKind = (kind: AgendaKind): Command => setAgendaAttr({ kind })

/** Sets the presenter ("Föredragande") of the agenda item at the cursor. */
export const setPresenter = (presenter: string): Command => setAgendaAttr({ presenter })

/** Sets the label ("SSR", "Kommunal") of the party input at `pos`. */
export const setPartyLabelAt =
  (pos: number, label: string): Command =>
  (state, dispatch) => {
    const node = state.doc.nodeAt(pos)
    if (node === null || node.type !== nodeType('party_input')) return false
    if (dispatch) dispatch(state.tr.setNodeMarkup(pos, undefined, { ...node.attrs, label }))
    return true
  }

/** Wraps the block at the cursor in a bullet list. */
export const wrapInBulletList = (): Command => wrapInList(nodeType('bullet_list'))
/** Wraps the block at the cursor in a numbered list. */
export const wrapInOrderedList = (): Command => wrapInList(nodeType('ordered_list'))
/** Nests the list item at the cursor under the one before it (Tab). */
export const sinkItem = (): Command => sinkListItem(nodeType('list_item'))
/** Moves the list item at the cursor one level out (Shift-Tab). */
export const liftItem = (): Command => liftListItem(nodeType('list_item'))
/** Splits the list item at the cursor (Enter in a list). */
export const splitItem = (): Command => splitListItem(nodeType('list_item'))

/**
 * Enter in an action: an empty action becomes a paragraph (the way out of a run of actions);
 * otherwise the text after the cursor becomes a new, open action with its own id.
 */
export const splitAction = (): Command => (state, dispatch) => {
  const { $from, $to } = state.selection
  const action = $from.parent
  if (action.type !== nodeType('action_item') || !$from.sameParent($to)) return false
  if (action.content.size === 0) return setBlockType(nodeType('paragraph'))(state, dispatch)
  if (dispatch) {
    const tr = state.tr.deleteSelection()
    const responsible = action.attrs.responsible as string
    tr.split(tr.mapping.map($from.pos), 1, [
      { type: nodeType('action_item'), attrs: { id: newId(), status: 'open', responsible } },
    ])
    dispatch(tr.scrollIntoView())
  }
  return true
}

/**
 * Backspace at the very start of a decision, an action or a heading turns it back into a
 * paragraph instead of joining it with the block before.
 */
export const unwrapTextblockAtStart = (): Command => (state, dispatch) => {
  const { $from, empty } = state.selection
  const special = [nodeType('decision'), nodeType('action_item'), nodeType('heading')]
  if (!empty || $from.parentOffset !== 0 || !special.includes($from.parent.type)) return false
  return setBlockType(nodeType('paragraph'))(state, dispatch)
}

/** Wraps the selected blocks in a party input. */
export const wrapInPartyInput = (label = ''): Command => wrapIn(nodeType('party_input'), { label })

export const toggleStrong = (): Command => toggleMark(schema.marks.strong!)
export const toggleEm = (): Command => toggleMark(schema.marks.em!)
