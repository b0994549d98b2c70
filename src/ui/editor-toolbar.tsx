import type { ComponentChildren } from 'preact'
import { useId, useLayoutEffect, useRef, useState } from 'preact/hooks'
import { useI18n } from './i18n-context'
import { useStore, type ReadableStore } from './store'
import type { ToolbarButtonView as ToolbarButton, ToolbarView } from './toolbar-view'

/** What a secretary uses all the time stays in the row; the rest is one click away in "More". */
const PRIMARY = new Set(['agendaItem', 'decision', 'action', 'bulletList', 'bold', 'italic'])
/** Short faces for the marks; their accessible names stay the full words. */
const FACE: Readonly<Record<string, string>> = { bold: 'B', italic: 'I' }

const shortcutText = (shortcut: string | undefined): string =>
  shortcut === undefined ? '' : ` (${shortcut.replace('Mod-', 'Ctrl+').replace(/-/g, '+')})`

/**
 * The editor's toolbar: the frequent commands in one row, everything else (and `extra`, the
 * check-in and check-out rounds) in a "More" menu, so the minutes start near the top of a side
 * panel. Every button is named by its full label and tells its key in its tooltip; the menu
 * opens with Enter, Space or ArrowDown, moves with the arrow keys, and closes with Escape.
 */
export const EditorToolbar = ({ toolbar, extra }: { toolbar: ReadableStore<ToolbarView>; extra?: ComponentChildren }) => {
  const { t } = useI18n()
  const id = useId()
  const view = useStore(toolbar)
  const [open, setOpen] = useState(false)
  const menu = useRef<HTMLDivElement>(null)
  const trigger = useRef<HTMLButtonElement>(null)

  // A layout effect: the first entry has the focus before the next key arrives.
  useLayoutEffect(() => {
    if (!open) return
    menu.current?.querySelector<HTMLButtonElement>('button:not([disabled])')?.focus()
    const close = (event: MouseEvent) => {
      if (!menu.current?.contains(event.target as Node) && event.target !== trigger.current) setOpen(false)
    }
    document.addEventListener('mousedown', close)
    return () => document.removeEventListener('mousedown', close)
  }, [open])

  const onMenuKey = (event: KeyboardEvent) => {
    const buttons = [...(menu.current?.querySelectorAll<HTMLButtonElement>('button:not([disabled])') ?? [])]
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement)
    const move = (to: number) => {
      event.preventDefault()
      buttons[(to + buttons.length) % buttons.length]?.focus()
    }
    if (event.key === 'ArrowDown') move(at + 1)
    else if (event.key === 'ArrowUp') move(at - 1)
    else if (event.key === 'Home') move(0)
    else if (event.key === 'End') move(buttons.length - 1)
    else if (event.key === 'Escape') {
      event.preventDefault()
      setOpen(false)
      trigger.current?.focus()
    }
  }

  const button = (item: ToolbarButton, inMenu: boolean) => (
    <button
      key={item.id}
      type="button"
      data-command={item.id}
      role={inMenu ? 'menuitem' : undefined}
      aria-pressed={inMenu ? undefined : item.active}
      aria-label={FACE[item.id] !== undefined ? t(item.label) : undefined}
      title={`${t(item.label)}${shortcutText(item.shortcut)}`}
      class={FACE[item.id] !== undefined ? `mark mark-${item.id}` : undefined}
      disabled={!item.enabled}
      // Keep the editor's selection: a mousedown on a button would move focus first.
      onMouseDown={(event) => event.preventDefault()}
      onClick={() => {
        if (inMenu) setOpen(false)
        item.run()
      }}
    >
      {FACE[item.id] ?? t(item.label)}
    </button>
  )

  return (
    <div class="toolbar" role="toolbar" aria-label={t('toolbar.label')}>
      {view.buttons.filter((item) => PRIMARY.has(item.id)).map((item) => button(item, false))}
      <span class="toolbar-more">
        <button
          ref={trigger}
          type="button"
          class="more"
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
          {t('toolbar.more')}
          <span aria-hidden="true"> ▾</span>
        </button>
        <div class="toolbar-menu" role="menu" id={`${id}-menu`} ref={menu} hidden={!open} onKeyDown={onMenuKey}>
          {view.buttons.filter((item) => !PRIMARY.has(item.id)).map((item) => button(item, true))}
          {extra !== undefined && <div onClick={() => setOpen(false)}>{extra}</div>}
        </div>
      </span>
    </div>
  )
}
