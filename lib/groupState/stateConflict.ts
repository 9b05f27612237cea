/** Other writers kept updating the same group between our read and our conditional write, attempt after attempt. */
export class GroupStateConflictError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'GroupStateConflictError';
  }
}
