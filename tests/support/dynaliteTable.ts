import { randomUUID } from 'node:crypto';
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, inject, it } from 'vitest';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../scripts/stack/dynamo/embeddedDynamo.js';
import { ensureEventsTable, scanAllItems } from '../../scripts/stack/dynamo/eventsTable.js';
import { localDynamoClient } from '../../scripts/stack/dynamo/localDynamoClient.js';

/** The two local DynamoDB engines the integration tests run on. */
export const TestEngine = { Dynalite: 'dynalite', DynamodbLocal: 'DynamoDB Local' } as const;
export type TestEngineName = (typeof TestEngine)[keyof typeof TestEngine];

/** Why DynamoDB Local tests skip here (no Java), or undefined. */
export const dynamodbLocalSkipReason = (): string | undefined => inject('dynamodbLocal').unavailable;

/** Every engine, for `describe.each`; DynamoDB Local's describe skips where Java is missing. */
export const testEngines: TestEngineName[] = [TestEngine.Dynalite, TestEngine.DynamodbLocal];

/**
 * `describe.each` over both engines, `title` with `%s` for the engine; where Java is missing, DynamoDB Local's describe
 * holds one skipped test that says why.
 */
export const describeOnEachEngine = (title: string, body: (engine: TestEngineName) => void): void =>
  describe.each(testEngines)(title, (engine) => {
    const skipReason = engine === TestEngine.DynamodbLocal ? dynamodbLocalSkipReason() : undefined;
    if (skipReason !== undefined) {
      it.skip(skipReason, () => {});
      return;
    }
    body(engine);
  });

export interface TestTable {
  dynamo: EmbeddedDynamo;
  client: DynamoDBClient;
  /** A fresh, empty table per call, so tests do not see each other's items. */
  createTable(): Promise<string>;
  scan(tableName: string): Promise<Record<string, AttributeValue>[]>;
  close(): Promise<void>;
}

/** The DynamoDB Local the run's global setup started (the tests never stop it). */
const sharedDynamodbLocal = (): EmbeddedDynamo => {
  const { endpoint, unavailable } = inject('dynamodbLocal');
  if (endpoint === undefined) throw new Error(`DynamoDB Local is not running: ${unavailable}`);
  return { endpoint, close: async () => {} };
};

/**
 * A real DynamoDB API: in-memory dynalite on a free port, started and stopped by the test itself, or the
 * run's DynamoDB Local (tables with their stream on, as in AWS).
 */
export const startTestTable = async (engine: TestEngineName = TestEngine.Dynalite): Promise<TestTable> => {
  const dynamo = engine === TestEngine.Dynalite ? await startEmbeddedDynamo() : sharedDynamodbLocal();
  const client = localDynamoClient(dynamo.endpoint);
  return {
    dynamo,
    client,
    async createTable() {
      const tableName = `events-${randomUUID()}`;
      await ensureEventsTable(client, tableName, { stream: engine === TestEngine.DynamodbLocal });
      return tableName;
    },
    scan: (tableName) => scanAllItems(client, tableName),
    async close() {
      client.destroy();
      await dynamo.close();
    },
  };
};

export interface FreshTable {
  client: DynamoDBClient;
  /** The DynamoDB's endpoint, for a client of the test's own. */
  endpoint: string;
  /** The current test's table. */
  tableName: string;
  /** Every item of the current test's table. */
  scan(): Promise<Record<string, AttributeValue>[]>;
  /** Replaces the current table with a new, empty one, mid-test. */
  replaceTable(): Promise<void>;
}

/**
 * For a test file: one dynalite for the whole file (started and stopped by its hooks) and a new, empty table
 * before each test. Read the fields inside tests and hooks, not at the file's top level.
 */
export const useFreshTablePerTest = (engine: TestEngineName = TestEngine.Dynalite): FreshTable => {
  let testTable: TestTable | undefined;
  let tableName: string | undefined;
  const started = (): TestTable => {
    if (testTable === undefined) throw new Error('the test table is used before its beforeAll hook ran');
    return testTable;
  };
  beforeAll(async () => {
    testTable = await startTestTable(engine);
  });
  afterAll(async () => {
    await testTable?.close();
  });
  beforeEach(async () => {
    tableName = await started().createTable();
  });
  const current = (): string => {
    if (tableName === undefined) throw new Error('the test table is used outside a test');
    return tableName;
  };
  return {
    get client() {
      return started().client;
    },
    get endpoint() {
      return started().dynamo.endpoint;
    },
    get tableName() {
      return current();
    },
    scan: () => started().scan(current()),
    async replaceTable() {
      tableName = await started().createTable();
    },
  };
};
