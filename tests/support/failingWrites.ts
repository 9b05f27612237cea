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

/**
 * Every PutItem fails until the returned function is called, as while DynamoDB is down for the writer (nothing
 * is sent); reads and the other clients' writes go through.
 */
export const failEveryPut = (client: DynamoDBClient): (() => void) => {
  const name = `failEveryPut-${Math.random()}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'PutItemCommand') {
        throw Object.assign(new Error('injected: DynamoDB is unreachable'), { name: 'InjectedOutage' });
      }
      return next(args);
    },
    { step: 'initialize', name },
  );
  return () => void client.middlewareStack.remove(name);
};
