import type { DynamoDBClient, PutItemCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * Injects a fault into a real client: the first PutItem whose input matches fails as if the process had died
 * there (nothing is sent), every other request goes to the real DynamoDB. Returns a function that removes it.
 */
export const failFirstPutWhere = (
  client: DynamoDBClient,
  matches: (input: PutItemCommandInput) => boolean,
): (() => void) => {
  let failed = false;
  const name = `failFirstPut-${Math.random()}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (!failed && context.commandName === 'PutItemCommand' && matches(args.input as PutItemCommandInput)) {
        failed = true;
        throw Object.assign(new Error('injected: the process stopped before this write'), { name: 'InjectedCrash' });
      }
      return next(args);
    },
    { step: 'initialize', name },
  );
  return () => void client.middlewareStack.remove(name);
};
