import { defineConfig } from 'wxt'

// See docs/ARCHITECTURE.md: the background script only wires the panel; everything else
// lives in the side panel page, composed in entrypoints/sidepanel/main.tsx.
export default defineConfig({
  srcDir: '.',
  entrypointsDir: 'entrypoints',
  // The Firefox sources zip (for review) must never carry the local server's data: its SQLite
  // store and the token secret live in ./data.
  zip: {
    excludeSources: ['data/**', '**/*.sqlite*', '**/secret', 'docs/benchmarks/raw/**', 'scratch-tmp/**', 'coverage/**', '.env*'],
  },
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // `tabs`: the panel reads the active tab's address to offer "Minutes for this call" (README,
    // Permissions). No `storage`: meetings and settings live in IndexedDB, which needs none.
    permissions: browser === 'firefox' ? ['tabs'] : ['sidePanel', 'tabs'],
    action: { default_title: '__MSG_actionTitle__' },
    ...(browser === 'firefox' ? { browser_specific_settings: { gecko: { id: 'minutes@minutes.invalid', data_collection_permissions: { required: ['none'] } } } } : {}),
    // Chrome opens the side panel from the action; Firefox has a command of its own that
    // toggles the sidebar (and MV2, whose CSP does not upgrade ws:// to wss://).
    commands:
      browser === 'firefox'
        ? { _execute_sidebar_action: { suggested_key: { default: 'Alt+Shift+M' }, description: '__MSG_commandOpen__' } }
        : { _execute_action: { suggested_key: { default: 'Alt+Shift+M' }, description: '__MSG_commandOpen__' } },
  }),
})
