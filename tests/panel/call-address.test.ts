import { describe, expect, it } from 'vitest'
import { callTitle, recogniseCall } from '../../src/call'

const key = (url: string): string | null => recogniseCall(url)?.key ?? null

describe('recognising the call of the active tab', () => {
  it('Google Meet: the meeting code only, in lower case, without query, fragment or user', () => {
    expect(key('https://meet.google.com/abc-defg-hij')).toBe('meet.google.com/abc-defg-hij')
    expect(key('https://meet.google.com/abc-defg-hij?authuser=1&pli=1')).toBe('meet.google.com/abc-defg-hij')
    expect(key('https://MEET.Google.com/ABC-DEFG-HIJ#x')).toBe('meet.google.com/abc-defg-hij')
    expect(key('https://meet.google.com/abc-defg-hij/')).toBe('meet.google.com/abc-defg-hij')
    expect(key('https://meet.google.com/xyz-wxyz-abc')).not.toBe(key('https://meet.google.com/abc-defg-hij'))
    expect(recogniseCall('https://meet.google.com/abc-defg-hij')).toMatchObject({ provider: 'meet', code: 'abc-defg-hij' })
  })

  it('Google Meet: the landing page, other paths and plain http are no call', () => {
    expect(key('https://meet.google.com/')).toBeNull()
    expect(key('https://meet.google.com/landing?authuser=0')).toBeNull()
    expect(key('https://meet.google.com/abc-defg-hi')).toBeNull()
    expect(key('https://meet.google.com/abc-defg-hij/extra')).toBeNull()
    expect(key('http://meet.google.com/abc-defg-hij')).toBeNull()
  })

  it('Microsoft Teams: join links with the thread id decoded, short links without passcode, the new client after #', () => {
    const thread = '19%3ameeting_NjE2ZTk2YzktMzIyOS00ZDc1%40thread.v2'
    const expected = 'teams.microsoft.com/meetup-join/19:meeting_NjE2ZTk2YzktMzIyOS00ZDc1@thread.v2'
    expect(key(`https://teams.microsoft.com/l/meetup-join/${thread}/0?context=%7b%22Tid%22%7d&anon=true`)).toBe(expected)
    expect(key(`https://Teams.Microsoft.com/l/meetup-join/${thread}/0`)).toBe(expected)
    expect(key(`https://teams.microsoft.com/v2/?meetingjoin=true#/l/meetup-join/${thread}/0?context=x`)).toBe(expected)
    // Thread ids are base64: case tells meetings apart.
    expect(key(`https://teams.microsoft.com/l/meetup-join/${thread.replace('NjE2', 'nje2')}/0`)).not.toBe(expected)
    expect(key('https://teams.live.com/meet/9387654321012?p=AbCdEf')).toBe('teams.live.com/meet/9387654321012')
    expect(key('https://teams.live.com/meet/9387654321012?p=Other')).toBe('teams.live.com/meet/9387654321012')
    expect(key('https://teams.microsoft.com/meet/2345678901234?p=x')).toBe('teams.microsoft.com/meet/2345678901234')
    expect(key('https://teams.microsoft.com/_#/conversations/General')).toBeNull()
    expect(key('https://teams.live.com/')).toBeNull()
  })

  it('Zoom web client: /wc/<id>/join, /wc/join/<id> and /j/<id> on any zoom.us host are one meeting', () => {
    const expected = 'zoom.us/81234567890'
    expect(key('https://us02web.zoom.us/wc/81234567890/join?pwd=secret&uname=Anna')).toBe(expected)
    expect(key('https://app.zoom.us/wc/join/81234567890')).toBe(expected)
    expect(key('https://Company.Zoom.us/j/81234567890?pwd=abc')).toBe(expected)
    expect(key('https://zoom.us/j/81234567890')).toBe(expected)
    expect(key('https://zoom.us/j/91234567890')).toBe('zoom.us/91234567890')
    expect(key('https://zoom.us/signin')).toBeNull()
    expect(key('https://zoom.us.example.org/j/81234567890')).toBeNull()
  })

  it('Jitsi: meet.jit.si, JaaS with its tenant, and self-hosted jitsi.* hosts; room names in any case', () => {
    expect(key('https://meet.jit.si/Ledningsgruppen')).toBe('meet.jit.si/ledningsgruppen')
    expect(key('https://meet.jit.si/ledningsgruppen#config.startWithAudioMuted=true')).toBe('meet.jit.si/ledningsgruppen')
    expect(key('https://meet.jit.si/FSG%20m%C3%B6te?lang=sv')).toBe('meet.jit.si/fsg möte')
    expect(key('https://8x8.vc/vpaas-magic-cookie-1/Room')).toBe('8x8.vc/vpaas-magic-cookie-1/room')
    expect(key('https://jitsi.helsingborg.se/LG')).toBe('jitsi.helsingborg.se/lg')
    expect(key('https://meet.jit.si/')).toBeNull()
    expect(key('https://meet.jit.si/static/close.html')).toBeNull()
    expect(key('https://example.org/LG')).toBeNull()
  })

  it('anything else is no call, and does not throw', () => {
    for (const address of [null, undefined, '', 'not a url', 'chrome://newtab/', 'chrome-extension://abc/sidepanel.html', 'https://www.google.com/search?q=meet']) {
      expect(recogniseCall(address)).toBeNull()
    }
  })

  it('the call has a name people recognise, the same for everyone', () => {
    expect(callTitle(recogniseCall('https://meet.google.com/abc-defg-hij?authuser=2')!)).toBe('Google Meet abc-defg-hij')
    expect(callTitle(recogniseCall('https://teams.live.com/meet/9387654321012?p=x')!)).toBe('Microsoft Teams')
  })
})
