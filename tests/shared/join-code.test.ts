import { describe, expect, it } from 'vitest'
import { decodeAnyJoinCode, decodeJoinCode, encodeJoinCode, encodePersonalJoinCode } from '../../src/join-code'

describe('join codes', () => {
  it('round-trips server, space and token, also with Swedish characters and whitespace from a paste', () => {
    const code = encodeJoinCode({ server: 'wss://minutes.example.se', space: 'fsg-äldreomsorg', token: 'a.b.c' })
    const pasted = `  ${code.slice(0, 10)}\n${code.slice(10)}  `
    expect(decodeJoinCode(pasted)).toEqual({
      ok: true,
      value: { server: 'wss://minutes.example.se', space: 'fsg-äldreomsorg', token: 'a.b.c' },
    })
  })

  it('says what is wrong with something that is not a join code', () => {
    expect(decodeJoinCode('')).toEqual({ ok: false, error: 'empty' })
    expect(decodeJoinCode('https://meet.google.com/abc')).toEqual({ ok: false, error: 'not-a-join-code' })
    expect(decodeJoinCode('minutes1:!!!')).toEqual({ ok: false, error: 'damaged' })
    const noServer = 'minutes1:' + Buffer.from(JSON.stringify({ space: 's', token: 't' })).toString('base64url')
    expect(decodeJoinCode(noServer)).toEqual({ ok: false, error: 'damaged' })
  })

  it('I2: a personal code carries server, space and member key, and reads back as kind member', () => {
    const key = 'mk1_' + 'A'.repeat(43)
    const code = encodePersonalJoinCode({ server: 'wss://minutes.example.se', space: 'fsg-äldreomsorg', key })
    expect(code.startsWith('minutes2:')).toBe(true)
    expect(decodeAnyJoinCode(`\n ${code} `)).toEqual({
      ok: true,
      value: { kind: 'member', server: 'wss://minutes.example.se', space: 'fsg-äldreomsorg', key },
    })
    // A shared reader does not take a personal code for its own.
    expect(decodeJoinCode(code)).toEqual({ ok: false, error: 'not-a-join-code' })
  })

  it('I2: decodeAnyJoinCode reads a shared code as kind token and never throws', () => {
    const shared = encodeJoinCode({ server: 'ws://127.0.0.1:1234', space: 's', token: 'a.b.c' })
    expect(decodeAnyJoinCode(shared)).toEqual({ ok: true, value: { kind: 'token', server: 'ws://127.0.0.1:1234', space: 's', token: 'a.b.c' } })
    const personal = (body: unknown) => 'minutes2:' + Buffer.from(JSON.stringify(body)).toString('base64url')
    expect(decodeAnyJoinCode('')).toEqual({ ok: false, error: 'empty' })
    expect(decodeAnyJoinCode('hello')).toEqual({ ok: false, error: 'not-a-join-code' })
    expect(decodeAnyJoinCode('minutes2:!!!')).toEqual({ ok: false, error: 'damaged' })
    expect(decodeAnyJoinCode('minutes2:' + Buffer.from([0xff, 0xfe]).toString('base64url'))).toEqual({ ok: false, error: 'damaged' })
    expect(decodeAnyJoinCode(personal({ server: 'ws://x', space: 's' }))).toEqual({ ok: false, error: 'damaged' })
    expect(decodeAnyJoinCode(personal({ server: 'http://x', space: 's', key: 'mk1_x' }))).toEqual({ ok: false, error: 'damaged' })
    // An access token where the key belongs is refused: it must never be sent as a key.
    expect(decodeAnyJoinCode(personal({ server: 'ws://x', space: 's', key: 'a.b.c' }))).toEqual({ ok: false, error: 'damaged' })
    expect(decodeAnyJoinCode(personal(null))).toEqual({ ok: false, error: 'damaged' })
    expect(decodeAnyJoinCode(personal([1]))).toEqual({ ok: false, error: 'damaged' })
  })
})
