import { createHash } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { LOCAL_SDK_APP_ID } from '../stack/localSettings.js';

const DESTROYED = 'Group.CallbackAfterGroupDestroyed';

/** Tencent's longest UserID: 32 bytes. Hex digits, so the list compresses no better than real IDs would. */
const memberAccount = (index: number): string =>
  createHash('sha256').update(`member-${index}`).digest('hex').slice(0, 32);

/** A member entry's bytes in the compact body: `{"Member_Account":"<32>"},`. */
export const MEMBER_ENTRY_BYTES = 54;

export interface LargeDisbandOptions {
  /** Members listed. A 6,000-member disband is about 324 KB; about 77,700 members make 4 MiB. */
  members: number;
  groupId?: string;
  eventTime?: number;
}

/** A disband of a large Work/Public/Meeting group, as compact JSON text (as Tencent sends it). */
export const largeDisbandBody = ({
  members,
  groupId = '@TGS#_large_disband',
  eventTime = 1_670_574_414_123,
}: LargeDisbandOptions): string =>
  JSON.stringify({
    CallbackCommand: DESTROYED,
    GroupId: groupId,
    Type: 'Public',
    Owner_Account: memberAccount(0),
    Operator_Account: memberAccount(0),
    Name: 'A very large group',
    MemberList: Array.from({ length: members }, (_, index) => ({ Member_Account: memberAccount(index) })),
    EventTime: String(eventTime),
  });

/** How many members make a body of about `bytes`. */
export const membersForBytes = (bytes: number): number => Math.max(1, Math.floor((bytes - 300) / MEMBER_ENTRY_BYTES));

/** The HTTP API event that delivers a body: base64, as an HTTP API delivers a body without a text Content-Type. */
export const largeDisbandEvent = (body: string): APIGatewayProxyEventV2 => {
  const query = {
    SdkAppid: LOCAL_SDK_APP_ID,
    CallbackCommand: DESTROYED,
    contenttype: 'json',
    ClientIP: '127.0.0.1',
    OptPlatform: 'RESTAPI',
  };
  return {
    version: '2.0',
    routeKey: 'POST /webhook',
    rawPath: '/webhook',
    rawQueryString: new URLSearchParams(query).toString(),
    headers: { host: 'localhost:3000', 'content-length': String(Buffer.byteLength(body)) },
    queryStringParameters: query,
    requestContext: {
      accountId: '123456789012',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: 'POST',
        path: '/webhook',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'Tencent-IM-Callback',
      },
      requestId: 'large-disband',
      routeKey: 'POST /webhook',
      stage: '$default',
      time: '09-Dec-2022:08:26:54 +0000',
      timeEpoch: 1_670_574_414_123,
    },
    body: Buffer.from(body).toString('base64'),
    isBase64Encoded: true,
  };
};
