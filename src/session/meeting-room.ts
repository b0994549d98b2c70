/**
 * The room of one meeting on the sync server, `<space>/<meetingId>`, which is also the id its
 * update log is stored under in IndexedDB. A token whose room claim is `<space>/*` grants it
 * (`roomClaimGrants` in `src/protocol.ts`); the space's meeting list is `spaceIndexRoom(space)`.
 */
export const meetingRoom = (space: string, meetingId: string): string => `${space}/${meetingId}`
