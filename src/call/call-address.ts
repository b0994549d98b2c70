/**
 * Recognising a video call from the address of the browser tab it runs in.
 *
 * Every attendee of one call must reach the same key, whatever else their address carries:
 * the host in lower case, the meeting code only, never the query (passcodes, `authuser`,
 * tracking), the fragment or a user's name. Where a provider serves one meeting under several
 * hosts (Zoom's `us02web.zoom.us`, `company.zoom.us`), the key uses one canonical host.
 */

export type CallProvider = 'meet' | 'teams' | 'zoom' | 'jitsi'

/** A recognised call. `key` is what attendees share; `code` is the meeting code alone. */
export interface CallAddress {
  readonly provider: CallProvider
  /** `<host>/<code>`, e.g. `meet.google.com/abc-defg-hij`. */
  readonly key: string
  readonly code: string
}

const call = (provider: CallProvider, host: string, code: string): CallAddress => ({
  provider,
  key: `${host}/${code}`,
  code,
})

const decode = (segment: string): string | null => {
  try {
    return decodeURIComponent(segment)
  } catch {
    return null
  }
}

const segmentsOf = (path: string): string[] => path.split('/').filter((segment) => segment !== '')

// Meet codes are three, four and three letters; Meet itself accepts them in any case.
const MEET_CODE = /^[a-z]{3}-[a-z]{4}-[a-z]{3}$/
const meet = (url: URL): CallAddress | null => {
  const [first, ...rest] = segmentsOf(url.pathname)
  if (first === undefined || rest.length > 0) return null
  const code = first.toLowerCase()
  return MEET_CODE.test(code) ? call('meet', 'meet.google.com', code) : null
}

// A Teams meeting thread: `19:meeting_<base64>@thread.v2` (case matters: it is base64).
const TEAMS_THREAD = /^19:[A-Za-z0-9_=+\-]+@thread\.(v2|skype|tacv2)$/
const TEAMS_HOSTS = new Set(['teams.microsoft.com', 'teams.live.com', 'teams.cloud.microsoft'])
const teamsFromPath = (host: string, path: string): CallAddress | null => {
  const segments = segmentsOf(path)
  // Join links: /l/meetup-join/<thread>/<n>; the new web client carries them after `#`.
  const join = segments.indexOf('meetup-join')
  if (join >= 0 && segments[join + 1] !== undefined) {
    const thread = decode(segments[join + 1]!)
    if (thread !== null && TEAMS_THREAD.test(thread)) return call('teams', host, `meetup-join/${thread}`)
  }
  // Short links: /meet/<digits>?p=<passcode>. The passcode stays out of the key.
  const meetAt = segments.indexOf('meet')
  const id = meetAt >= 0 ? segments[meetAt + 1] : undefined
  if (id !== undefined && /^\d{6,20}$/.test(id)) return call('teams', host, `meet/${id}`)
  return null
}
const teams = (host: string, url: URL): CallAddress | null =>
  teamsFromPath(host, url.pathname) ?? teamsFromPath(host, url.hash.replace(/^#/, '').split('?')[0] ?? '')

// Zoom meeting ids are 9 to 11 digits, unique across Zoom, so every *.zoom.us host is one.
const ZOOM_ID = /^\d{9,11}$/
const zoom = (url: URL): CallAddress | null => {
  const segments = segmentsOf(url.pathname)
  const [first, second, third] = segments
  let id: string | undefined
  if (first === 'wc') id = second === 'join' ? third : second
  else if (first === 'j' || first === 's' || first === 'w') id = second
  return id !== undefined && ZOOM_ID.test(id) ? call('zoom', 'zoom.us', id) : null
}

// Public Jitsi instances by name; self-hosted ones are recognised by "jitsi" in the host.
const JITSI_HOSTS = new Set(['meet.jit.si', '8x8.vc', 'meet.ffmuc.net', 'jitsi.riot.im', 'meet.golem.de'])
// Paths a Jitsi server serves itself, which are not rooms.
const JITSI_NOT_ROOMS = new Set(['static', 'libs', 'css', 'images', 'sounds', 'fonts', 'lang', 'http-bind', 'xmpp-websocket', 'colibri-ws', 'external_api.js', 'config.js', 'interface_config.js'])
const isJitsiHost = (host: string): boolean => JITSI_HOSTS.has(host) || host.split('.').some((label) => label === 'jitsi' || label.startsWith('jitsi-'))
const jitsi = (host: string, url: URL): CallAddress | null => {
  const segments = segmentsOf(url.pathname)
  // 8x8.vc (JaaS) puts a tenant before the room.
  const parts = host === '8x8.vc' ? segments.slice(0, 2) : segments.slice(0, 1)
  if (parts.length === 0 || segments.length !== parts.length) return null
  const decoded = parts.map(decode)
  if (decoded.some((part) => part === null || part === '' || JITSI_NOT_ROOMS.has(part.toLowerCase()))) return null
  // Jitsi treats room names case-insensitively.
  return call('jitsi', host, (decoded as string[]).map((part) => part.toLowerCase()).join('/'))
}

/**
 * The call a tab's address belongs to, or null when it is no call this recognises (or no URL
 * at all). Only `https:` addresses count.
 */
export const recogniseCall = (address: string | null | undefined): CallAddress | null => {
  if (address === null || address === undefined || address === '') return null
  let url: URL
  try {
    url = new URL(address)
  } catch {
    return null
  }
  if (url.protocol !== 'https:') return null
  const host = url.hostname.toLowerCase().replace(/\.$/, '')
  if (host === 'meet.google.com') return meet(url)
  if (TEAMS_HOSTS.has(host)) return teams(host, url)
  if (host === 'zoom.us' || host.endsWith('.zoom.us')) return zoom(url)
  if (isJitsiHost(host)) return jitsi(host, url)
  return null
}

const PROVIDER_NAMES: { readonly [P in CallProvider]: string } = {
  meet: 'Google Meet',
  teams: 'Microsoft Teams',
  zoom: 'Zoom',
  jitsi: 'Jitsi',
}

/** A name for the call people recognise ("Google Meet abc-defg-hij"), the same for everyone. */
export const callTitle = (call: CallAddress): string =>
  call.provider === 'teams' ? PROVIDER_NAMES.teams : `${PROVIDER_NAMES[call.provider]} ${call.code}`
