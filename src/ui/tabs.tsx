import type { ComponentChildren } from 'preact'
import { useId, useRef } from 'preact/hooks'

export interface Tab<Id extends string> {
  id: Id
  label: string
}

/**
 * A row of tabs (the WAI-ARIA tabs pattern, activation follows focus): Left and Right move
 * between them, Home and End go to the first and the last. The panels stay mounted and are
 * only hidden, so the editor and anything half-typed survive a switch.
 */
export const Tabs = <Id extends string>({
  tabs,
  current,
  onSelect,
  label,
  panels,
}: {
  tabs: ReadonlyArray<Tab<Id>>
  current: Id
  onSelect(id: Id): void
  label: string
  panels: { readonly [K in Id]: ComponentChildren }
}) => {
  const id = useId()
  const list = useRef<HTMLDivElement>(null)
  const select = (index: number) => {
    const tab = tabs[(index + tabs.length) % tabs.length]!
    onSelect(tab.id)
    list.current?.querySelector<HTMLElement>(`[data-tab="${tab.id}"]`)?.focus()
  }
  const onKeyDown = (event: KeyboardEvent) => {
    const at = tabs.findIndex((tab) => tab.id === current)
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 }[event.key]
    if (to === undefined) return
    event.preventDefault()
    select(to)
  }
  return (
    <>
      <div class="tabs" role="tablist" aria-label={label} ref={list} onKeyDown={onKeyDown}>
        {tabs.map((tab) => (
          <button
            key={tab.id}
            type="button"
            role="tab"
            id={`${id}-${tab.id}-tab`}
            data-tab={tab.id}
            aria-selected={tab.id === current}
            aria-controls={`${id}-${tab.id}`}
            tabIndex={tab.id === current ? 0 : -1}
            onClick={() => onSelect(tab.id)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      {tabs.map((tab) => (
        <div
          key={tab.id}
          role="tabpanel"
          class={`tab-panel tab-panel-${tab.id}`}
          id={`${id}-${tab.id}`}
          aria-labelledby={`${id}-${tab.id}-tab`}
          hidden={tab.id !== current}
        >
          {panels[tab.id]}
        </div>
      ))}
    </>
  )
}
