/** Why no local DynamoDB can be used, in one line that says what to do; the tools print it instead of a trace. */
export class LocalDynamoUnavailableError extends Error {
  public override readonly name = 'LocalDynamoUnavailableError';
}

/** For a tool's `.catch`: prints a LocalDynamoUnavailableError's one line and exits 1; rethrows anything else. */
export const exitIfDynamoUnavailable = (error: unknown): never => {
  if (!(error instanceof LocalDynamoUnavailableError)) throw error;
  console.error(error.message);
  process.exit(1);
};
