import { inputRules, textblockTypeInputRule, wrappingInputRule } from 'prosemirror-inputrules'
import type { Plugin } from 'prosemirror-state'
import { newId } from '../doc/ids'
import { nodeType } from '../doc/schema'

/**
 * Typing shortcuts at the start of a paragraph: `[] ` starts an action, `Beslut: ` or
 * `Decision: ` a decision, `- ` / `* ` a bullet list, `1. ` a numbered list. The typed
 * marker is removed; the block's look says what it is.
 */
export const minutesInputRules = (): Plugin =>
  inputRules({
    rules: [
      textblockTypeInputRule(/^\[ ?\]\s$/, nodeType('action_item'), () => ({ id: newId(), status: 'open' })),
      textblockTypeInputRule(/^(?:beslut|decision):\s$/i, nodeType('decision'), () => ({ id: newId() })),
      wrappingInputRule(/^\s*([-*])\s$/, nodeType('bullet_list')),
      wrappingInputRule(
        /^(\d+)\.\s$/,
        nodeType('ordered_list'),
        (match) => ({ order: Number(match[1]) }),
        (match, node) => node.childCount + Number(node.attrs.order) === Number(match[1]),
      ),
    ],
  })
