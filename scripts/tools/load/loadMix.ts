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

const query = (sdkAppId: string, token: string, nowMs: number, clientIp: string, sign?: string): string => {
  const requestTime = String(Math.floor(nowMs / 1000));
  const params = new URLSearchParams({
    SdkAppid: sdkAppId,
    CallbackCommand: COMMAND,
    contenttype: 'json',
    ClientIP: clientIp,
    OptPlatform: 'RESTAPI',
    RequestTime: requestTime,
    Sign: sign ?? callbackSign(token, requestTime),
  });
  return `/webhook?${params.toString()}`;
};

/**
 * A deterministic mix: about 60 % new events, 20 % repeats of an earlier one (as a retry, from another
 * ClientIP), and 20 % invalid (another app, a forged Sign, a body without GroupId). Group IDs carry the
 * run id, so the store can be checked afterwards for exactly these.
 */
export const loadMix = ({
  count,
  runId,
  sdkAppId,
  token,
  label = 'LOAD',
}: {
  count: number;
  runId: string;
  sdkAppId: string;
  token: string;
  /** Goes into every group ID, so phases of one run can be told apart. */
  label?: string;
}): LoadRequest[] => {
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
        path: (now) => query(sdkAppId, token, now, '10.0.0.1'),
      };
      sent.push(request);
      requests.push(request);
    } else if (slot < 8) {
      const original = sent[(index * 7919) % sent.length] as LoadRequest;
      requests.push({ ...original, kind: 'duplicate', path: (now) => query(sdkAppId, token, now, '10.0.0.2') });
    } else {
      const groupId = `@TGS#INVALID-${label}-${runId}-${index}`;
      const body = JSON.stringify({ CallbackCommand: COMMAND, GroupId: groupId, EventTime: '1' });
      const variants: LoadRequest[] = [
        {
          kind: 'invalid',
          groupId,
          body,
          expectedStatus: 403,
          path: (now) => query('1400999999', token, now, '10.0.0.3'),
        },
        {
          kind: 'invalid',
          groupId,
          body,
          expectedStatus: 403,
          path: (now) => query(sdkAppId, token, now, '10.0.0.3', 'f'.repeat(64)),
        },
        {
          kind: 'invalid',
          groupId,
          body: JSON.stringify({ CallbackCommand: COMMAND, EventTime: '1' }),
          expectedStatus: 400,
          path: (now) => query(sdkAppId, token, now, '10.0.0.3'),
        },
      ];
      requests.push(variants[index % variants.length] as LoadRequest);
    }
  }
  return requests;
};
