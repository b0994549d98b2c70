export { MeetingSearchIndex, foldTerm, meetingDocuments, type SearchHit } from './meeting-search-index'
