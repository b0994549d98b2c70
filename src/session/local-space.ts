/**
 * The space id under which meetings live when no space is joined. Meetings of this space
 * are never connected to a server.
 */
export const LOCAL_SPACE = 'local'
