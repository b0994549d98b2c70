import { useId, useLayoutEffect, useRef, useState } from 'preact/hooks'
import { useI18n } from './i18n-context'
import { useStore, type ReadableStore } from './store'
import { COMMAND_ICONS, Icon, MENU_ICONS } from './toolbar-icons'
import type { ToolbarButtonView as ToolbarButton, ToolbarView } from '../session'

/** What a secretary uses all the time stays in the row, as icons. */
const PRIMARY = ['agendaItem', 'decision', 'action', 'bold', 'italic'] as const
/** The kind of text block: one menu that shows the current one. */
const BLOCK_TYPES = ['paragraph', 'heading', 'bulletList', 'orderedList'] as const
const isRare = (id: string): boolean => !(PRIMARY as readonly string[]).includes(id) && !(BLOCK_TYPES as readonly string[]).includes(id)

const MAC = typeof navigator !== 'undefined' && /Mac|iP(hone|[ao]d)/.test(navigator.platform)

/** ProseMirror's `Mod-Shift-z` as a person reads it: `Ctrl+Shift+Z` (`⌘+Shift+Z` on a Mac). */
export const shortcutLabel = (shortcut: string): string =>
  shortcut
    .split('-')
    .map((part) => (part === 'Mod' ? (MAC ? '⌘' : 'Ctrl') : part.length === 1 ? part.toUpperCase() : part))
    .join('+')

/** The same key for `aria-keyshortcuts`, which names modifiers the way the DOM does. */
const ariaShortcut = (shortcut: string): string =>
  shortcut
    .split('-')
    .map((part) => (part === 'Mod' ? (MAC ? 'Meta' : 'Control') : part.length === 1 ? part.toUpperCase() : part))
    .join('+')

/** A menu's keys: arrows, Home and End move, Escape closes and gives the focus back to its button. */
const menuKeys = (menu: { current: HTMLElement | null }, close: () => void) => (event: KeyboardEvent) => {
  const items = [...(menu.current?.querySelectorAll<HTMLButtonElement>('[role^="menuitem"]') ?? [])]
  const at = items.indexOf(document.activeElement as HTMLButtonElement)
  const move = (to: number) => {
    event.preventDefault()
    items[(to + items.length) % items.length]?.focus()
  }
  if (event.key === 'ArrowDown') move(at + 1)
  else if (event.key === 'ArrowUp') move(at - 1)
  else if (event.key === 'Home') move(0)
  else if (event.key === 'End') move(items.length - 1)
  else if (event.key === 'Escape' || event.key === 'Tab') {
    if (event.key === 'Escape') event.preventDefault()
    close()
  }
}

interface ToolbarMenuProps {
  /** The trigger's class (`more`, `block-type`) and accessible name. */
  kind: string
  label: string
  /** Its tooltip, when it says more than the name. */
  tip?: string
  icon: ReturnType<typeof Icon>
  items: readonly ToolbarButton[]
  /** Radio items, this one checked (the current one), rather than plain commands. */
  radio?: boolean
  checked?: string | undefined
  /** The menu opens toward the start of the row instead of its end. */
  alignStart?: boolean
}

/**
 * A menu button of the toolbar (WAI-ARIA menu button): Enter, Space or ArrowDown open it with
 * the first entry focused, the arrows move, Enter runs, Escape closes. Entries that do not
 * apply stay focusable and are announced as unavailable (`aria-disabled`).
 */
const ToolbarMenu = ({ kind, label, tip, icon, items, radio = false, checked, alignStart = false }: ToolbarMenuProps) => {
  const { t } = useI18n()
  const id = useId()
  const [open, setOpen] = useState(false)
  const menu = useRef<HTMLDivElement>(null)
  const trigger = useRef<HTMLButtonElement>(null)

  // A layout effect: the first entry has the focus before the next key arrives.
  useLayoutEffect(() => {
    if (!open) return
    const entries = [...(menu.current?.querySelectorAll<HTMLButtonElement>('[role^="menuitem"]') ?? [])]
    ;(entries.find((entry) => entry.getAttribute('aria-checked') === 'true') ?? entries[0])?.focus()
    const close = (event: MouseEvent) => {
      if (!menu.current?.contains(event.target as Node) && !trigger.current?.contains(event.target as Node)) setOpen(false)
    }
    document.addEventListener('mousedown', close)
    return () => document.removeEventListener('mousedown', close)
  }, [open])

  const closeToTrigger = () => {
    setOpen(false)
    trigger.current?.focus()
  }

  return (
    <span class={`toolbar-menu-wrap toolbar-${kind}`}>
      <button
        ref={trigger}
        type="button"
        class={`icon-button ${kind}`}
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={`${id}-menu`}
        onMouseDown={(event) => event.preventDefault()}
        onClick={() => setOpen(!open)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown') {
            event.preventDefault()
            setOpen(true)
          }
        }}
      >
        {icon}
        <Icon node={MENU_ICONS.open} size={12} />
        {!open && (
          <span class="tip" aria-hidden="true">
            {tip ?? label}
          </span>
        )}
      </button>
      <div
        class={`toolbar-menu${alignStart ? ' align-start' : ''}`}
        role="menu"
        aria-label={label}
        id={`${id}-menu`}
        ref={menu}
        hidden={!open}
        onKeyDown={menuKeys(menu, closeToTrigger)}
      >
        {items.map((item) => (
          <button
            key={item.id}
            type="button"
            data-command={item.id}
            role={radio ? 'menuitemradio' : 'menuitem'}
            aria-checked={radio ? item.id === checked : undefined}
            aria-disabled={!item.enabled}
            aria-keyshortcuts={item.shortcut !== undefined ? ariaShortcut(item.shortcut) : undefined}
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => {
              if (!item.enabled) return
              setOpen(false)
              item.run()
            }}
          >
            <Icon node={COMMAND_ICONS[item.id]} />
            <span class="menu-label">{t(item.label)}</span>
            {item.shortcut !== undefined && (
              <kbd class="menu-key" aria-hidden="true">
                {shortcutLabel(item.shortcut)}
              </kbd>
            )}
          </button>
        ))}
      </div>
    </span>
  )
}

/**
 * The editor's toolbar: the frequent commands as icons in one row, the kind of text block in
 * one menu, everything else in "More", so the minutes start near the top of a side panel.
 * Every icon is named by its full label (`aria-label`) and shows that label and its key in a
 * tooltip on hover and on keyboard focus; a command that does not apply here stays focusable
 * and is announced as unavailable.
 */
export const EditorToolbar = ({ toolbar }: { toolbar: ReadableStore<ToolbarView> }) => {
  const { t } = useI18n()
  const view = useStore(toolbar)
  const byId = new Map(view.buttons.map((item) => [item.id, item]))
  const blockTypes = BLOCK_TYPES.flatMap((id) => byId.get(id) ?? [])
  // A list's paragraph is a paragraph too: the list is what it is.
  const current = [...blockTypes].reverse().find((item) => item.active === true)

  const button = (item: ToolbarButton) => {
    const tip = item.shortcut === undefined ? t(item.label) : `${t(item.label)} (${shortcutLabel(item.shortcut)})`
    return (
      <button
        key={item.id}
        type="button"
        class="icon-button"
        data-command={item.id}
        aria-label={t(item.label)}
        aria-pressed={item.active}
        aria-disabled={!item.enabled}
        aria-keyshortcuts={item.shortcut !== undefined ? ariaShortcut(item.shortcut) : undefined}
        // Keep the editor's selection: a mousedown on a button would move focus first.
        onMouseDown={(event) => event.preventDefault()}
        onClick={() => {
          if (item.enabled) item.run()
        }}
      >
        <Icon node={COMMAND_ICONS[item.id]} />
        <span class="tip" aria-hidden="true">
          {tip}
        </span>
      </button>
    )
  }
  const primary = (id: (typeof PRIMARY)[number]) => {
    const item = byId.get(id)
    return item === undefined ? null : button(item)
  }

  return (
    <div class="toolbar" role="toolbar" aria-label={t('toolbar.label')}>
      {primary('agendaItem')}
      {blockTypes.length > 0 && (
        <ToolbarMenu
          kind="block-type"
          label={current === undefined ? t('toolbar.blockType') : t('toolbar.blockTypeCurrent', { type: t(current.label) })}
          icon={<Icon node={current === undefined ? MENU_ICONS.blockType : COMMAND_ICONS[current.id]} />}
          items={blockTypes}
          radio
          checked={current?.id}
          alignStart
        />
      )}
      {primary('decision')}
      {primary('action')}
      <span class="toolbar-separator" aria-hidden="true" />
      {primary('bold')}
      {primary('italic')}
      <ToolbarMenu kind="more" label={t('toolbar.more')} icon={<Icon node={MENU_ICONS.more} />} items={view.buttons.filter((item) => isRare(item.id))} />
    </div>
  )
}
