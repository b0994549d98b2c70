import { derivedId, type Digest } from '../call/call-room'
import { getMeta } from '../doc/meta'
import { listPeople } from '../doc/people'
import type { MeetingTemplate } from '../doc/seed'
import type { CarriedAction } from './follow-up'
import { collectOpenActions, seriesKeyOf, type MeetingDoc } from './track'

/**
 * The id of the meeting that follows `fromMeetingId`: the same for every attendee who asks
 * for it, so two people pressing "Next meeting" at once land in one meeting.
 */
export const nextMeetingId = (space: string, fromMeetingId: string, subtle?: Digest): Promise<string> =>
  derivedId('next-', [space, fromMeetingId], subtle)

/** What "Next meeting" creates: its template (header, people) and the actions it follows up. */
export interface NextMeetingPlan {
  series: string
  template: MeetingTemplate
  followUp: CarriedAction[]
}

/**
 * Plans the meeting after `from`: the header as the series keeps it (title, organisation,
 * group, place, convener, secretary, the series itself), the people with their initials and
 * roles (each checks in anew; guests and adjusters are per meeting and not carried), and every
 * action of the series still open in `known` (the meetings this browser has, `from` among
 * them, never the new one). A pure function of its input: two attendees with the same
 * knowledge plan the same bytes (`seedMeeting`, `seedFollowUp` are then no-ops for the second).
 * The date is left out: it is today's, which two attendees may see differently.
 */
export const planNextMeeting = (from: MeetingDoc, known: readonly MeetingDoc[]): NextMeetingPlan => {
  const meta = getMeta(from.doc)
  const series = seriesKeyOf(from.id, meta)
  const people = listPeople(from.doc)
    .filter((person) => person.attendance !== 'guest')
    .map((person) => ({ id: person.id, name: person.name, initials: person.initials, party: person.party }))
  const others = known.some((meeting) => meeting.id === from.id) ? known : [from, ...known]
  return {
    series,
    template: {
      items: [{ title: '' }],
      meta: {
        title: meta.title,
        organisation: meta.organisation,
        group: meta.group,
        place: meta.place,
        convener: meta.convener,
        secretary: meta.secretary,
        secretaryMemberId: meta.secretaryMemberId,
        series,
      },
      people,
    },
    followUp: collectOpenActions(others, series),
  }
}
