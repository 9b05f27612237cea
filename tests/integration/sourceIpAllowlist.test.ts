import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createWebhookHandler } from '../../lib/webhook/handler.js';
import { useFreshTablePerTest } from '../support/dynaliteTable.js';
import { invokeHandler } from '../support/invokeHandler.js';
import { tencentEvent } from '../support/tencentRequest.js';
import { testConfig } from '../support/testConfig.js';
import { testEventStore } from '../support/testEventStore.js';

/** SOURCE_IP_ALLOWLIST against a real local DynamoDB: a refused request records nothing. */
const table = useFreshTablePerTest();
const OK = { ActionStatus: 'OK', ErrorInfo: '', ErrorCode: 0 };

const webhook = (allowlist: string[]) =>
  createWebhookHandler({
    config: testConfig({ tableName: table.tableName, sourceIpAllowlist: allowlist }),
    store: testEventStore({ client: table.client, tableName: table.tableName }),
  });

/** A group-full callback as API Gateway hands it over from `sourceIp`, with extra headers if any. */
const callbackFrom = (sourceIp: string, headers: Record<string, string> = {}): APIGatewayProxyEventV2 => {
  const event = tencentEvent({ headers });
  return { ...event, requestContext: { ...event.requestContext, http: { ...event.requestContext.http, sourceIp } } };
};

const eventItems = async () => (await table.scan()).filter((item) => item.sk?.S?.startsWith('EVENT#'));

describe('the source address allowlist', () => {
  it.each([
    ['an IPv4 address inside a listed CIDR', ['192.0.2.0/24', '198.51.100.0/25'], '198.51.100.77'],
    ['a listed bare IPv4 address', ['203.0.113.9'], '203.0.113.9'],
    ['an IPv6 address inside a listed IPv6 CIDR', ['2001:db8:1::/48'], '2001:db8:1:2::5'],
    ['an IPv4 address as a dual-stack socket writes it', ['198.51.100.0/24'], '::ffff:198.51.100.4'],
  ])('records a callback from %s', async (_, allowlist, sourceIp) => {
    // Act
    const answer = await invokeHandler(webhook(allowlist), callbackFrom(sourceIp));

    // Assess
    expect(answer).toMatchObject({ statusCode: 200, envelope: OK });
    expect(await eventItems()).toHaveLength(1);
  });

  it.each([
    ['an IPv4 address outside every listed CIDR', ['192.0.2.0/24'], '198.51.100.1'],
    ['an IPv6 address outside the listed IPv6 CIDR', ['2001:db8:1::/48'], '2001:db8:2::1'],
    ['an IPv6 address when only IPv4 is listed', ['0.0.0.0/0'], '2001:db8::1'],
  ])('refuses a callback from %s with 403 / 40304 and records nothing', async (_, allowlist, sourceIp) => {
    // Act
    const answer = await invokeHandler(webhook(allowlist), callbackFrom(sourceIp));

    // Assess
    expect(answer.statusCode).toBe(403);
    expect(answer.envelope).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 40304 });
    expect(answer.envelope.ErrorInfo).toContain(sourceIp);
    expect(await eventItems()).toEqual([]);
  });

  it('goes by the address API Gateway saw, never by an X-Forwarded-For the caller wrote', async () => {
    // Act
    const answer = await invokeHandler(
      webhook(['192.0.2.0/24']),
      callbackFrom('198.51.100.1', { 'x-forwarded-for': '192.0.2.10', forwarded: 'for=192.0.2.10' }),
    );

    // Assess
    expect(answer.statusCode).toBe(403);
    expect(answer.envelope).toMatchObject({ ErrorCode: 40304 });
    expect(await eventItems()).toEqual([]);
  });

  it('is off when the setting is empty: a callback from any address is recorded', async () => {
    // Act
    const answer = await invokeHandler(webhook([]), callbackFrom('198.51.100.1'));

    // Assess
    expect(answer).toMatchObject({ statusCode: 200, envelope: OK });
    expect(await eventItems()).toHaveLength(1);
  });

  it('refuses every callback with 500 / 50002 naming a malformed entry, and records nothing', async () => {
    // Act
    const answer = await invokeHandler(webhook(['192.0.2.0/24', '192.0.2.300/24']), callbackFrom('192.0.2.10'));

    // Assess
    expect(answer.statusCode).toBe(500);
    expect(answer.envelope).toMatchObject({ ActionStatus: 'FAIL', ErrorCode: 50002 });
    expect(answer.envelope.ErrorInfo).toContain('192.0.2.300/24');
    expect(await eventItems()).toEqual([]);
  });
});
