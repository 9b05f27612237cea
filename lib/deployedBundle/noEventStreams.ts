/**
 * Stands in for `@smithy/core/event-streams` in the deployed bundles only: the protocol layer imports it on
 * demand for streaming operations, and neither DynamoDB's PutItem/GetItem nor SSM's GetParameter is one.
 */
const unsupported = (): never => {
  throw new Error('event streams are left out of the deployed bundle (lib/deployedBundle/noEventStreams.ts)');
};

export const eventStreamSerdeProvider = unsupported;

export class EventStreamSerde {
  public constructor() {
    unsupported();
  }
}
