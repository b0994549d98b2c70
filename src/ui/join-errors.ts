import type { JoinCodeError } from '../join-code'
import type { MessageKey } from './i18n'

/** The message a person reads for each way a pasted join code can be wrong. */
export const joinErrorMessage = (error: JoinCodeError): MessageKey => {
  switch (error) {
    case 'empty':
      return 'join.error.empty'
    case 'not-a-join-code':
      return 'join.error.notAJoinCode'
    case 'damaged':
      return 'join.error.damaged'
    default: {
      // A new JoinCodeError fails to compile here until it has a message.
      const unhandled: never = error
      throw new Error(`no message for join code error ${String(unhandled)}`)
    }
  }
}
