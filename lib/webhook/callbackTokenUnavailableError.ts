/** The callback token could not be read from its source: every callback is refused until it can be. */
export class CallbackTokenUnavailableError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CallbackTokenUnavailableError';
  }
}
