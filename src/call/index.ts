export { recogniseCall, callTitle, type CallAddress, type CallProvider } from './call-address'
export { callMeetingId, callSeriesId, localDate, derivedId, type Digest } from './call-room'
