/**
 * English strings of the panel. This object defines the set of message keys: the Swedish
 * dictionary is typed against it, so a key missing in Swedish fails the typecheck.
 *
 * The editor's strings come from `src/editor/messages.ts` so the editor and the panel share
 * one dictionary per language.
 *
 * `{name}` placeholders are filled by `t(key, { name })`. Plural forms are separate keys
 * (`…One` / `…Many`) because English and Swedish both have exactly two.
 */
import { editorMessagesEn } from '../editor/messages'
import { toolbarMessages } from '../editor/toolbar'

export const en = {
  // The editor's own strings (inside the document) are defined next to the editor.
  ...editorMessagesEn,
  ...toolbarMessages.en,
  'app.title': 'Minutes',
  'app.loading': 'Opening…',
  'app.nav': 'Panel',

  'common.save': 'Save',
  'common.cancel': 'Cancel',
  'common.close': 'Close',

  'join.heading': 'Join a space',
  'join.intro':
    'Paste the join code you got from the person who runs the server, or from another attendee.',
  'join.codeLabel': 'Join code',
  'join.codeHint': 'A join code starts with “minutes1:”.',
  'join.nameLabel': 'Your name (shown to the others)',
  'join.colourLabel': 'Your colour (shown next to your name)',
  'join.submit': 'Join',
  'join.localOnly': 'Continue without a server',
  'join.localOnlyHint': 'Your meetings stay in this browser until you join a space.',
  'join.error.empty': 'Paste a join code first.',
  'join.error.notAJoinCode': 'This is not a join code. A join code starts with “minutes1:”.',
  'join.error.damaged': 'This join code is damaged or incomplete. Copy all of it again.',
  'join.error.nameRequired': 'Enter your name so the others can see who is here.',

  'settings.heading': 'Settings',
  'settings.open': 'Settings',
  'settings.space': 'Space',
  'settings.server': 'Server',
  'settings.noSpace': 'Not joined: meetings stay in this browser.',
  'settings.changeSpace': 'Join another space',
  'settings.language': 'Language follows the browser: English.',
  'settings.saved': 'Settings saved.',

  'meetings.heading': 'Meetings',
  'meetings.new': 'New meeting',
  'meetings.searchLabel': 'Find by title or date',
  'meetings.empty': 'No meetings yet. Start one with “New meeting”.',
  'meetings.noMatch': 'No meeting matches “{query}”.',
  'meetings.untitled': 'Untitled meeting',
  'meetings.localOnly': 'only in this browser',
  'meetings.noDate': 'no date',

  'meeting.back': 'All meetings',
  'meeting.headerHeading': 'Meeting details',
  'meeting.bodyHeading': 'Minutes',
  'meeting.editorLabel': 'Minutes text',
  'meeting.notFound': 'This meeting could not be opened.',

  'meta.title': 'Title',
  'meta.organisation': 'Organisation',
  'meta.group': 'Group',
  'meta.date': 'Date',
  'meta.start': 'Starts',
  'meta.end': 'Ends',
  'meta.place': 'Place',
  'meta.convener': 'Convener',
  'meta.secretary': 'Secretary',
  'meta.status': 'State of the minutes',
  'meetingStatus.draft': 'Draft',
  'meetingStatus.final': 'Final, awaiting verification',
  'meetingStatus.adjusted': 'Verified',

  'people.heading': 'Attendance',
  'people.empty': 'Nobody listed yet.',
  'people.add': 'Add person',
  'people.addSelf': 'Check me in as present',
  'people.newName': 'Name of the new person',
  'people.name': 'Name',
  'people.initials': 'Initials',
  'people.role': 'Party or role',
  'people.attendance': 'Attendance',
  'people.reason': 'Reason',
  'people.adjuster': 'Verifies the minutes',
  'people.agendaItem': 'Under agenda item (guests)',
  'people.remove': 'Remove {name}',
  'attendance.present': 'Present',
  'attendance.absent': 'Absent',
  'attendance.guest': 'Guest',
  'attendance.excused': 'Excused',

  'presence.heading': 'Here now',
  'presence.you': '{name} (you)',
  'presence.alone': 'Only you are here.',

  'status.label': 'Save status',
  'status.local': 'Saved in this browser (no server)',
  'status.offline': 'Offline – changes are saved in the browser',
  'status.connecting': 'Connecting to the server…',
  'status.syncing': 'Syncing with the server…',
  'status.unsavedOne': '1 change not yet on the server',
  'status.unsavedMany': '{count} changes not yet on the server',
  'status.saved': 'All changes saved on the server',
  'status.authFailed': 'Join code no longer valid: ask for a new one',
  'status.error': 'Server problem: changes are kept in the browser and sent later',
  'status.storageQuota': 'The browser has no room left: new changes are not saved. Free disk space.',
  'status.storageUnavailable': 'Could not save in the browser: keep the panel open and reload it.',
  'status.storageCorrupt': 'Part of the saved meeting could not be read; the rest was kept.',

  'toolbar.label': 'Formatting',
} as const satisfies Record<string, string>
