export { readWrittenActions, setWrittenActionDone, type WrittenAction } from './actions'
export {
  FOLLOW_UP_STATUSES,
  isFollowUpStatus,
  getFollowUpMap,
  readFollowUp,
  getFollowUpEntry,
  createFollowUpUpdate,
  seedFollowUp,
  checkInFollowUp,
  observeFollowUp,
  type FollowUpStatus,
  type FollowUpEntry,
  type CarriedAction,
} from './follow-up'
export {
  seriesKeyOf,
  isLocked,
  isOpenStatus,
  trackActions,
  collectOpenActions,
  type MeetingDoc,
  type TrackedAction,
} from './track'
export { nextMeetingId, planNextMeeting, type NextMeetingPlan } from './next-meeting'
export { followUpRollup, countStatuses, type RollupCounts, type RollupLanguage } from './rollup'
export {
  buildRegister,
  checkFromRegister,
  filterRegister,
  isOverdue,
  registerResponsibles,
  registerSeries,
  statusesFor,
  type CheckTarget,
  type RegisterEntry,
  type RegisterFilter,
} from './register'
