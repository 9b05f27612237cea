declare module 'aws-lambda-test-utils' {
  import type { APIGatewayProxyEvent, Context } from 'aws-lambda';

  interface ApiGatewayEventOptions {
    path?: string;
    method?: string;
    headers?: Record<string, string>;
    queryStringParameters?: Record<string, string>;
    pathParameters?: Record<string, string>;
    stageVariables?: Record<string, string>;
    body?: string;
  }

  export const mockContextCreator: (
    options: Partial<Context> & { timeInMillis?: number },
    callback: (result: unknown) => void,
  ) => Context;
  export const mockEventCreator: {
    createAPIGatewayEvent(options?: ApiGatewayEventOptions): APIGatewayProxyEvent;
  };
}
