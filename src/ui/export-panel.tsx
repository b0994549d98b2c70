import type * as Y from 'yjs'
import { useEffect, useId, useRef, useState } from 'preact/hooks'
import type { ExportDateStyle, ExportFormat, ExportLanguage, ExportLayout, ExportedFile } from '../export'
import { useI18n } from './i18n-context'

/** How the panel hands a finished file to the person: a download, or a new tab for printing. */
export interface ExportSink {
  download(file: ExportedFile): void
  openForPrint(file: ExportedFile): void
}

/**
 * The browser's way: a Blob behind an object URL, `<a download>` for files, a new tab for the
 * print page ("opened in a tab, not printed from the panel"). The URLs are revoked by `destroy`:
 * a tab that is still loading needs its URL, so they live as long as the meeting view.
 */
export const createBrowserExportSink = (win: Window & typeof globalThis): ExportSink & { destroy(): void } => {
  const urls: string[] = []
  const urlOf = (file: ExportedFile): string => {
    const url = win.URL.createObjectURL(new win.Blob([file.data as BlobPart], { type: file.mime }))
    urls.push(url)
    return url
  }
  return {
    download: (file) => {
      const link = win.document.createElement('a')
      link.href = urlOf(file)
      link.download = file.filename
      link.hidden = true
      win.document.body.append(link)
      link.click()
      link.remove()
    },
    openForPrint: (file) => {
      win.open(urlOf(file), '_blank', 'noopener')
    },
    destroy: () => {
      for (const url of urls.splice(0)) win.URL.revokeObjectURL(url)
    },
  }
}

const FORMATS: ReadonlyArray<{ format: ExportFormat; label: 'export.markdown' | 'export.docx' | 'export.print' }> = [
  { format: 'markdown', label: 'export.markdown' },
  { format: 'docx', label: 'export.docx' },
  { format: 'html', label: 'export.print' },
]

/**
 * Export of the open meeting: Markdown, Word, or the print page (for PDF); prose or table
 * layout; Swedish or English headings (the panel's language by default); optional §-numbering.
 */
export const ExportPanel = ({ doc, sink }: { doc: Y.Doc; sink?: ExportSink }) => {
  const { t, language } = useI18n()
  const id = useId()
  const [layout, setLayout] = useState<ExportLayout>('prose')
  const [exportLanguage, setExportLanguage] = useState<ExportLanguage>(language)
  const [paragraphs, setParagraphs] = useState(false)
  const [dates, setDates] = useState<ExportDateStyle>('written')
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null)
  const [busy, setBusy] = useState(false)
  const ownSink = useRef<ReturnType<typeof createBrowserExportSink> | null>(null)
  useEffect(
    () => () => {
      ownSink.current?.destroy()
      ownSink.current = null
    },
    [],
  )
  const target = (): ExportSink => sink ?? (ownSink.current ??= createBrowserExportSink(window))

  const run = async (format: ExportFormat): Promise<void> => {
    setBusy(true)
    try {
      // Loaded on the first export, not with the panel: the exporters (docx above all) are a
      // third of the panel's code and most sessions never export (docs/benchmarks, section 9).
      const { exportMeeting } = await import('../export')
      const file = await exportMeeting(doc, {
        format,
        layout,
        language: exportLanguage,
        numbering: paragraphs ? 'paragraph' : 'plain',
        dates,
      })
      if (format === 'html') target().openForPrint(file)
      else target().download(file)
      setMessage({ text: t('export.ready', { filename: file.filename }), error: false })
    } catch (error) {
      setMessage({ text: t('export.failed', { error: String(error) }), error: true })
    } finally {
      setBusy(false)
    }
  }

  return (
    <section class="export" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('export.heading')}</h2>
      <div class="field-grid">
        <div class="field">
          <label for={`${id}-layout`}>{t('export.layout')}</label>
          <select id={`${id}-layout`} name="export-layout" value={layout} onChange={(e) => setLayout(e.currentTarget.value as ExportLayout)}>
            <option value="prose">{t('export.layoutProse')}</option>
            <option value="table">{t('export.layoutTable')}</option>
          </select>
        </div>
        <div class="field">
          <label for={`${id}-language`}>{t('export.language')}</label>
          <select
            id={`${id}-language`}
            name="export-language"
            value={exportLanguage}
            onChange={(e) => setExportLanguage(e.currentTarget.value as ExportLanguage)}
          >
            <option value="sv">{t('export.languageSv')}</option>
            <option value="en">{t('export.languageEn')}</option>
          </select>
        </div>
        <div class="field wide">
          <label for={`${id}-dates`}>{t('export.dates')}</label>
          <select id={`${id}-dates`} name="export-dates" value={dates} onChange={(e) => setDates(e.currentTarget.value as ExportDateStyle)}>
            <option value="written">{t('export.datesWritten')}</option>
            <option value="iso">{t('export.datesIso')}</option>
          </select>
        </div>
        <div class="field field-check wide">
          <input id={`${id}-numbering`} name="export-numbering" type="checkbox" checked={paragraphs} onChange={(e) => setParagraphs(e.currentTarget.checked)} />
          <label for={`${id}-numbering`}>{t('export.numbering')}</label>
        </div>
      </div>
      <div class="row export-buttons">
        {FORMATS.map(({ format, label }) => (
          <button key={format} type="button" data-format={format} disabled={busy} onClick={() => void run(format)}>
            {t(label)}
          </button>
        ))}
      </div>
      {message !== null && (
        <p class={message.error ? 'export-message error' : 'export-message'} role={message.error ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
    </section>
  )
}
