import {
  ChevronDown,
  Ellipsis,
  Gavel,
  Heading3,
  Italic,
  LetterB,
  List,
  ListIndentDecrease,
  ListIndentIncrease,
  ListOrdered,
  ListPlus,
  LogIn,
  LogOut,
  MessageSquareQuote,
  Paperclip,
  Pilcrow,
  Redo2,
  SquareCheck,
  SquareCheckBig,
  Type,
  Undo2,
  type IconNode,
} from 'lucide'

// Lucide (ISC): each icon is imported by name, so only these end up in the bundle.

/** The icon of each editor command, by the toolbar model's id (`src/editor/toolbar.ts`). */
export const COMMAND_ICONS: Readonly<Record<string, IconNode>> = {
  agendaItem: ListPlus,
  paragraph: Pilcrow,
  heading: Heading3,
  bulletList: List,
  orderedList: ListOrdered,
  indent: ListIndentIncrease,
  outdent: ListIndentDecrease,
  decision: Gavel,
  action: SquareCheckBig,
  toggleAction: SquareCheck,
  partyInput: MessageSquareQuote,
  attachment: Paperclip,
  bold: LetterB,
  italic: Italic,
  undo: Undo2,
  redo: Redo2,
  checkinRound: LogIn,
  checkoutRound: LogOut,
}

export const MENU_ICONS = { more: Ellipsis, open: ChevronDown, blockType: Type } as const

/** A Lucide icon, drawn in the text colour; decorative (the control around it carries the name). */
export const Icon = ({ node, size = 18 }: { node: IconNode | undefined; size?: number }) =>
  node === undefined ? null : (
    <svg
      class="icon"
      xmlns="http://www.w3.org/2000/svg"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {node.map(([tag, attrs]) => {
        const Tag = tag as 'path'
        return <Tag key={JSON.stringify(attrs)} {...(attrs as Record<string, string>)} />
      })}
    </svg>
  )
