export { Root } from './roots'
export { Origin } from './origins'
export { newId } from './ids'
export { createMeetingDoc, getMetaMap, getPeopleMap, getBody } from './meeting-doc'
export {
  getMeta,
  setMetaField,
  setMetaFields,
  observeMeta,
  META_FIELDS,
  MEETING_STATUSES,
  type MeetingMeta,
  type MetaField,
  type MeetingStatus,
} from './meta'
export {
  addPerson,
  updatePerson,
  removePerson,
  getPerson,
  listPeople,
  observePeople,
  ATTENDANCES,
  type Attendance,
  type Person,
  type PersonFields,
  type PersonField,
} from './people'
export { meetingBodyNode, type AgendaItemDescription, type BlockDescription, type ListItemDescription } from './body-json'
export { createSeedUpdate, seedMeeting, type MeetingTemplate } from './seed'
export { buildMeeting, type MeetingDescription } from './build'
