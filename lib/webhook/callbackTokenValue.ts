import { CallbackTokenUnavailableError } from './callbackTokenUnavailableError.js';

export interface CallbackTokens {
  callbackToken: string | undefined;
  callbackTokenNext: string | undefined;
}

/**
 * The stored value is the token, or during a rotation two tokens on two lines (current, then next), so a
 * rotation is two writes to the parameter and no deploy (README, "Rotating the token").
 */
export const parseCallbackTokenValue = (value: string | undefined): CallbackTokens => {
  const tokens = (value ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  if (tokens.length === 0 || tokens.length > 2) {
    throw new CallbackTokenUnavailableError(`the token parameter holds ${tokens.length} tokens (1 or 2 lines expected)`);
  }
  return { callbackToken: tokens[0], callbackTokenNext: tokens[1] };
};
