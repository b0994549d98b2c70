import { useI18n } from './i18n-context'
import { useStore, type ReadableStore } from './store'
import type { ToolbarView } from './toolbar-view'

/**
 * The editor's toolbar: one button per command of the editor's toolbar model, named by its
 * label (an icon-free toolbar reads the same to everyone). It wraps instead of scrolling,
 * so it stays usable in a 320 px panel.
 */
export const EditorToolbar = ({ toolbar }: { toolbar: ReadableStore<ToolbarView> }) => {
  const { t } = useI18n()
  const view = useStore(toolbar)
  return (
    <div class="toolbar" role="toolbar" aria-label={t('toolbar.label')}>
      {view.buttons.map((button) => (
        <button
          key={button.id}
          type="button"
          data-command={button.id}
          aria-pressed={button.active}
          disabled={!button.enabled}
          // Keep the editor's selection: a mousedown on a button would move focus first.
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => button.run()}
        >
          {t(button.label)}
        </button>
      ))}
    </div>
  )
}
