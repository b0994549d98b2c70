import type { ExportBlock, ExportItem, ExportListItem, ExportModel } from './export-model'

type Outcome = Extract<ExportBlock, { type: 'decision' | 'action' }>

/**
 * One row of the table layout (seed 003): Rubrik / Anteckning / Åtgärd-Beslut / Ansvarig.
 * `note` is the item's content without its decisions and actions, which move, in document
 * order and out of any list they sat in, to `outcome`; `responsible` lists the actions'
 * responsible people once each.
 */
export interface TableRow {
  readonly item: ExportItem
  readonly note: readonly ExportBlock[]
  readonly outcome: readonly Outcome[]
  readonly responsible: readonly string[]
}

const isOutcome = (block: ExportBlock): block is Outcome => block.type === 'decision' || block.type === 'action'

const split = (blocks: readonly ExportBlock[], outcome: Outcome[]): ExportBlock[] => {
  const note: ExportBlock[] = []
  for (const block of blocks) {
    if (isOutcome(block)) {
      outcome.push(block)
    } else if (block.type === 'list') {
      const items: ExportListItem[] = block.items.map((item) => ({ text: item.text, children: split(item.children, outcome) }))
      note.push({ ...block, items })
    } else {
      note.push(block)
    }
  }
  return note
}

/** The table layout's rows, one an agenda item. */
export const tableRows = (model: ExportModel): TableRow[] =>
  model.items.map((item) => {
    const outcome: Outcome[] = []
    const note = split(item.blocks, outcome)
    const responsible: string[] = []
    for (const block of outcome) {
      if (block.type === 'action' && block.responsible !== '' && !responsible.includes(block.responsible)) {
        responsible.push(block.responsible)
      }
    }
    return { item, note, outcome, responsible }
  })
