import { describe, expect, it } from 'vitest'
import { decodeJoinCode, encodeJoinCode } from '../../src/join-code'

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
})
