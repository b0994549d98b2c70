import { webcrypto } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { callMeetingId, callSeriesId, localDate, recogniseCall } from '../../src/call'
import { ROOM_ID_PATTERN, ROOM_ID_MAX_LENGTH } from '../../src/protocol'

const meet = (url: string) => {
  const call = recogniseCall(url)
  if (call === null) throw new Error(`not a call: ${url}`)
  return call
}

describe('the meeting of a call', () => {
  it('is the same for every attendee of the call in the space, whatever their address carries', async () => {
    const anna = await callMeetingId('space-1', meet('https://meet.google.com/abc-defg-hij?authuser=0'), '2024-05-02')
    const bo = await callMeetingId('space-1', meet('https://MEET.google.com/ABC-DEFG-HIJ?pli=1#chat'), '2024-05-02')
    expect(anna).toBe(bo)
    expect(anna).toMatch(/^call-[a-z2-7]{20}$/)
    expect(`space-1/${anna}`).toMatch(ROOM_ID_PATTERN)
    expect(`space-1/${anna}`.length).toBeLessThanOrEqual(ROOM_ID_MAX_LENGTH)
  })

  it('differs the next day, in another space, and for another call', async () => {
    const call = meet('https://meet.google.com/abc-defg-hij')
    const today = await callMeetingId('space-1', call, '2024-05-02')
    expect(await callMeetingId('space-1', call, '2024-05-03')).not.toBe(today)
    expect(await callMeetingId('space-2', call, '2024-05-02')).not.toBe(today)
    expect(await callMeetingId('space-1', meet('https://meet.google.com/xyz-wxyz-abc'), '2024-05-02')).not.toBe(today)
  })

  it('cannot be derived from the call address alone: it hashes the space id with it', async () => {
    const call = meet('https://meet.google.com/abc-defg-hij')
    const id = await callMeetingId('space-1', call, '2024-05-02')
    expect(id).not.toContain('abc')
    expect(await callMeetingId('', call, '2024-05-02')).not.toBe(id)
  })

  it("is the same with Node's WebCrypto as with the global one (what the panel uses)", async () => {
    const call = meet('https://zoom.us/j/81234567890')
    expect(await callMeetingId('s', call, '2024-01-31', webcrypto.subtle as SubtleCrypto)).toBe(await callMeetingId('s', call, '2024-01-31'))
  })

  it('a recurring call is one series across days, a different one in another space', async () => {
    const call = meet('https://meet.jit.si/LG')
    expect(await callSeriesId('space-1', call)).toBe(await callSeriesId('space-1', meet('https://meet.jit.si/lg?x=1')))
    expect(await callSeriesId('space-2', call)).not.toBe(await callSeriesId('space-1', call))
  })

  it('rejects a date that is not YYYY-MM-DD (a programming error)', () => {
    expect(() => callMeetingId('s', meet('https://meet.jit.si/lg'), '2/5/2024')).toThrow(/YYYY-MM-DD/)
  })

  it('"today" is the local date', () => {
    expect(localDate(new Date(2024, 0, 5, 23, 59))).toBe('2024-01-05')
    expect(localDate(new Date(2024, 11, 31, 0, 0))).toBe('2024-12-31')
  })
})
