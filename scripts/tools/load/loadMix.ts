import { callbackSign } from '../../../lib/tencent/callbackSign.js';

/** One request of the load run, and what its answer must be. */
export interface LoadRequest {
  kind: 'new' | 'duplicate' | 'invalid';
  groupId: string;
  path: (nowMs: number) => string;
  body: string;
  expectedStatus: number;
}

const COMMAND = 'Group.CallbackAfterGroupFull';

/** Where the requests go and how they are signed. */
interface Receiver {
  sdkAppId: string;
  /** The receiver's callback token; undefined: it has none, every request goes unsigned. */
  token: string | undefined;
  /** The webhook's path, `/webhook` for `npm start`. */
  webhookPath: string;
}

const query = (
  receiver: Receiver,
  nowMs: number,
  clientIp: string,
  { sdkAppId = receiver.sdkAppId, sign = '' } = {},
) => {
  const requestTime = String(Math.floor(nowMs / 1000));
  const signature: Record<string, string> =
    receiver.token === undefined
      ? {}
      : { RequestTime: requestTime, Sign: sign || callbackSign(receiver.token, requestTime) };
  const params = new URLSearchParams({
    SdkAppid: sdkAppId,
    CallbackCommand: COMMAND,
    contenttype: 'json',
    ClientIP: clientIp,
    OptPlatform: 'RESTAPI',
    ...signature,
  });
  return `${receiver.webhookPath}?${params.toString()}`;
};

/**
 * A deterministic mix: about 60 % new events, 20 % repeats of an earlier one (as a retry, from another
 * ClientIP), and 20 % invalid (another app, a forged Sign when the receiver has a token, a body without
 * GroupId). Group IDs carry the run id, so the store can be checked afterwards for exactly these.
 */
export const loadMix = ({
  count,
  runId,
  sdkAppId,
  token,
  webhookPath = '/webhook',
  label = 'LOAD',
}: {
  count: number;
  runId: string;
  sdkAppId: string;
  token: string | undefined;
  webhookPath?: string;
  /** Goes into every group ID, so phases of one run can be told apart. */
  label?: string;
}): LoadRequest[] => {
  const receiver: Receiver = { sdkAppId, token, webhookPath };
  const requests: LoadRequest[] = [];
  const sent: LoadRequest[] = [];
  for (let index = 0; index < count; index += 1) {
    const slot = index % 10;
    if (slot < 6 || sent.length === 0) {
      const groupId = `@TGS#${label}-${runId}-${index}`;
      const body = JSON.stringify({
        CallbackCommand: COMMAND,
        GroupId: groupId,
        EventTime: String(1_700_000_000_000 + index),
      });
      const request: LoadRequest = {
        kind: 'new',
        groupId,
        body,
        expectedStatus: 200,
        path: (now) => query(receiver, now, '10.0.0.1'),
      };
      sent.push(request);
      requests.push(request);
    } else if (slot < 8) {
      const original = sent[(index * 7919) % sent.length] as LoadRequest;
      requests.push({ ...original, kind: 'duplicate', path: (now) => query(receiver, now, '10.0.0.2') });
    } else {
      const groupId = `@TGS#INVALID-${label}-${runId}-${index}`;
      const body = JSON.stringify({ CallbackCommand: COMMAND, GroupId: groupId, EventTime: '1' });
      const forgedSign: LoadRequest = {
        kind: 'invalid',
        groupId,
        body,
        expectedStatus: 403,
        path: (now) => query(receiver, now, '10.0.0.3', { sign: 'f'.repeat(64) }),
      };
      const variants: LoadRequest[] = [
        {
          kind: 'invalid',
          groupId,
          body,
          expectedStatus: 403,
          path: (now) => query(receiver, now, '10.0.0.3', { sdkAppId: '1400999999' }),
        },
        // Without a token the receiver checks no Sign: a forged one would be recorded.
        ...(token === undefined ? [] : [forgedSign]),
        {
          kind: 'invalid',
          groupId,
          body: JSON.stringify({ CallbackCommand: COMMAND, EventTime: '1' }),
          expectedStatus: 400,
          path: (now) => query(receiver, now, '10.0.0.3'),
        },
      ];
      requests.push(variants[index % variants.length] as LoadRequest);
    }
  }
  return requests;
};
