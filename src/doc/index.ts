export { Root } from './roots'
export { Origin } from './origins'
export { newId, stableHash32 } from './ids'
export { createMeetingDoc, getMetaMap, getPeopleMap, getBody, readBody } from './meeting-doc'
export {
  getMeta,
  firstItemNumber,
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
export {
  approve,
  approvalProblem,
  approvalsComplete,
  currentRound,
  getAdjustment,
  isLocked,
  loadAdjustedVersion,
  lockDueBy,
  lockIfDue,
  markDraft,
  markFinal,
  observeAdjustment,
  reopenLocally,
  writeApproval,
  writeDraft,
  writeFinal,
  writeLock,
  writeReopening,
  type Actor,
  type AdjustmentState,
  type Approval,
  type ApprovalRecord,
  type ApprovalProblem,
  type Reopening,
} from './adjustment'
export { contentHash } from './content-hash'
export { changesSinceAdjusted, diffLines, diffVersions, type DiffLine, type DiffWords, type SectionDiff } from './adjustment-diff'
export {
  addGuest,
  checkIn,
  checkInByName,
  findPersonByName,
  findSelf,
  hasMeetingRole,
  listAgendaItems,
  listAttendance,
  markAbsent,
  responsibleChoices,
  setMeetingRole,
  suggestInitials,
  undoCheckIn,
  type AgendaItemRef,
  type AttendanceEntry,
  type MeetingRole,
  type ResponsibleChoice,
  linkPersonToMember,
} from './attendance'
export { parsePeople, addPastedPeople, type PastedPerson } from './people-paste'
export { normaliseIsoDate, normaliseTime } from './dates'
