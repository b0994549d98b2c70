export {
  schema,
  nodeType,
  isAgendaKind,
  NodeName,
  AGENDA_KINDS,
  type AgendaKind,
  type ActionStatus,
  type MinutesSchema,
} from '../doc/schema'
export {
  actionAt,
  agendaItemAt,
  setActionDoneAt,
  toggleAction,
  setActionAttrs,
  setActionAttrsAt,
  setResponsible,
  setDue,
  insertAction,
  insertDecision,
  setParagraph,
  setHeading,
  insertPartyInput,
  wrapInPartyInput,
  setPartyLabelAt,
  insertAttachment,
  insertAgendaItem,
  insertRound,
  setAgendaKind,
  setAgendaAttrsAt,
  setPresenter,
  wrapInBulletList,
  wrapInOrderedList,
  sinkItem,
  liftItem,
  splitItem,
  splitAction,
  unwrapTextblockAtStart,
  toggleStrong,
  toggleEm,
  type Ticker,
} from './commands'
export { minutesInputRules } from './input-rules'
export { minutesKeymap, Keys } from './keymap'
export { createEditorPlugins, type EditorOptions } from './plugins'
export { createEditorView, type MinutesEditor } from './view'
export { createToolbar, toolbarMessages, type ToolbarItem, type ToolbarLabelKey } from './toolbar'
export {
  editorMessages,
  editorMessagesEn,
  editorMessagesSv,
  createEditorTranslator,
  type EditorMessageKey,
  type EditorTranslate,
} from './messages'
export { buildCursor } from './cursor'
export { carryPendingSelection } from './pending-selection'
export { integrityKey, lockKey, nodeViewsKey, slashMenuKey, type SlashMenuState } from './keys'
export { lockPlugin, type LockOptions } from './lock-plugin'
export {
  slashMenuPlugin,
  filterSlashCommands,
  type SlashCommand,
  type SlashIcon,
  type SlashMenuOptions,
} from './slash-menu'
