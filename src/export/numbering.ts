import type { ExportNumbering } from './export-model'
import type { ExportLabels } from './labels'

/** The number printed before an item's title: "3." or "§ 3". */
export const itemNumber = (index: number, numbering: ExportNumbering): string =>
  numbering === 'paragraph' ? `§ ${index}` : `${index}.`

/** An item named in running text: "punkt 3" / "item 3", or "§ 3" in either language. */
export const itemReference = (index: number, numbering: ExportNumbering, labels: ExportLabels): string =>
  numbering === 'paragraph' ? `§ ${index}` : `${labels.item} ${index}`
