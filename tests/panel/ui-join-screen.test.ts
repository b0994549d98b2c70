// @vitest-environment jsdom
import { h, render } from 'preact'
import { act } from 'preact/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { encodeJoinCode } from '../../src/join-code'
import { createI18n, I18nContext } from '../../src/ui/i18n-context'
import type { Language } from '../../src/ui/i18n'
import { JoinScreen, type JoinScreenProps } from '../../src/ui/join-screen'

let container: HTMLElement | null = null
afterEach(() => {
  if (container !== null) render(null, container)
  container?.remove()
  container = null
})

const mount = (language: Language, onDone: JoinScreenProps['onDone']) => {
  container = document.createElement('div')
  document.body.append(container)
  act(() => {
    render(
      h(I18nContext.Provider, { value: createI18n(language) }, h(JoinScreen, { initialName: '', initialColor: '#1f6feb', onDone })),
      container!,
    )
  })
  const root = container
  const field = <T extends HTMLElement>(selector: string) => root.querySelector<T>(selector)!
  const type = (selector: string, value: string) =>
    act(() => {
      const input = field<HTMLInputElement | HTMLTextAreaElement>(selector)
      input.value = value
      input.dispatchEvent(new Event('input', { bubbles: true }))
    })
  const submit = () =>
    act(() => {
      field<HTMLFormElement>('form').dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
    })
  const alerts = () => [...root.querySelectorAll('[role="alert"]')].map((node) => node.textContent)
  return { field, type, submit, alerts }
}

describe('the join screen', () => {
  it.each([
    ['sv', '', 'Klistra in en anslutningskod först.'],
    ['sv', 'hej hej', 'Det här är ingen anslutningskod. En anslutningskod börjar med ”minutes2:” (personlig) eller ”minutes1:” (gemensam).'],
    ['sv', 'minutes1:!!!', 'Anslutningskoden är skadad eller ofullständig. Kopiera hela koden igen.'],
    ['en', '', 'Paste a join code first.'],
    ['en', 'https://example.org', 'This is not a join code. A join code starts with “minutes2:” (personal) or “minutes1:” (shared).'],
    ['en', 'minutes1:eyJzZXJ2ZXIiOjF9', 'This join code is damaged or incomplete. Copy all of it again.'],
  ] as const)('in %s, says what is wrong with %j', (language, code, message) => {
    const onDone = vi.fn()
    const screen = mount(language, onDone)
    screen.type('input[name="display-name"]', 'Annika')
    screen.type('textarea[name="join-code"]', code)
    screen.submit()
    expect(screen.alerts()).toEqual([message])
    expect(screen.field('textarea').getAttribute('aria-invalid')).toBe('true')
    // The message is tied to the field, so a screen reader reads it with the field.
    const described = screen.field('textarea').getAttribute('aria-describedby')!.split(' ')
    expect(described.map((id) => document.getElementById(id)?.textContent)).toContain(message)
    expect(onDone).not.toHaveBeenCalled()
  })

  it('asks for a name, and joins with a valid code', () => {
    const onDone = vi.fn()
    const screen = mount('en', onDone)
    const code = encodeJoinCode({ server: 'ws://127.0.0.1:1234', space: 'lg', token: 'abc' })
    screen.type('textarea[name="join-code"]', code)
    screen.submit()
    expect(screen.alerts()).toEqual(['Enter your name so the others can see who is here.'])

    screen.type('input[name="display-name"]', '  Annika Andersson ')
    screen.submit()
    expect(onDone).toHaveBeenCalledWith({
      displayName: 'Annika Andersson',
      color: '#1f6feb',
      space: { server: 'ws://127.0.0.1:1234', space: 'lg', token: 'abc' },
    })
  })

  it('labels every field', () => {
    const screen = mount('sv', vi.fn())
    for (const input of screen.field('main').querySelectorAll('input, textarea')) {
      expect(screen.field(`label[for="${input.id}"]`).textContent).not.toBe('')
    }
  })
})
