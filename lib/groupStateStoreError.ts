/** DynamoDB could not read or write a group's state item (unreachable, throttled, refused). The cause keeps the SDK's error. */
export class GroupStateStoreError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GroupStateStoreError';
  }
}

/** Other writers kept updating the same group between our read and our conditional write, attempt after attempt. */
export class GroupStateConflictError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'GroupStateConflictError';
  }
}
