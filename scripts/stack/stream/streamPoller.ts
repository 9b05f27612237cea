import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import streamEventSource from '../../../lib/groupState/streamEventSource.json' with { type: 'json' };
import { lambdaImage } from './lambdaImage.js';
import type { StreamCheckpoint } from './streamCheckpoint.js';
import { type FilterPattern, matchesAnyPattern } from './streamFilter.js';

/** The event source mapping's settings, as serverless.yml takes them from the same file. */
export type StreamMappingSettings = Omit<
  typeof streamEventSource,
  'filterPatterns' | 'maximumBatchingWindowInSeconds'
> & {
  filterPatterns: FilterPattern[];
  /** Lambda's default: 0, each read's records are handed on at once. */
  maximumBatchingWindowInSeconds?: number;
};
export const streamMappingSettings: StreamMappingSettings = streamEventSource as StreamMappingSettings;

/** DynamoDB Streams' most records per GetRecords: a larger batch takes several reads. */
const MAX_RECORDS_PER_READ = 1_000;

export type StreamFunction = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined>;

export interface StreamPollerOptions {
  client: DynamoDBClient;
  streamsClient: DynamoDBStreamsClient;
  tableName: string;
  /** The function the mapping feeds (in process, or through serverless-offline's Lambda endpoint). */
  invoke: StreamFunction;
  settings?: StreamMappingSettings;
  /** Pause when a pass over the shards found nothing. Default: 250 ms. */
  idleMs?: number;
  /** Where each shard was read to, to go on from there after a restart. Default: none (from `startingPosition`). */
  checkpoint?: StreamCheckpoint;
  /** Names the mapping in its stderr lines. Default: groupState. */
  name?: string;
  /** Where a batch given up on goes (Lambda's on-failure destination). Default: a line on stderr. */
  onGiveUp?: (failure: {
    shardId: string;
    firstSequenceNumber: string;
    lastSequenceNumber: string;
    attempts: number;
  }) => void;
}

export interface StreamPoller {
  /** Resolves after the next pass that finds every shard read to its end and nothing left to retry. */
  drained(): Promise<void>;
  stop(): Promise<void>;
}

/** The record as Lambda hands it to the function (creation time in epoch seconds, binaries in base64). */
const lambdaRecord = (record: StreamRecord, streamArn: string): DynamoDBRecord => {
  const created = record.dynamodb?.ApproximateCreationDateTime;
  const images = { NewImage: record.dynamodb?.NewImage, OldImage: record.dynamodb?.OldImage };
  return {
    ...(record as unknown as DynamoDBRecord),
    eventSourceARN: streamArn,
    dynamodb: {
      ...(record.dynamodb as unknown as DynamoDBRecord['dynamodb']),
      ...Object.fromEntries(
        Object.entries(images)
          .filter(([, image]) => image !== undefined)
          .map(([name, image]) => [name, lambdaImage(image as Record<string, unknown>)]),
      ),
      ...(created === undefined ? {} : { ApproximateCreationDateTime: Math.floor(new Date(created).getTime() / 1000) }),
    },
  };
};

interface ShardReader {
  shardId: string;
  parentShardId: string | undefined;
  iterator: string | undefined;
  /** The last record handled, to continue after it with a new iterator. */
  position: string | undefined;
  /** Retries of the batch starting at `retryFrom`. */
  attempts: number;
  /** Re-read from this sequence number (a failed record) with at most `limit` records. */
  retryFrom: string | undefined;
  limit: number;
  finished: boolean;
}

/**
 * What Lambda's event source mapping does for the groupState function, against DynamoDB Local's stream:
 * reads each shard in order (parents before children), gathers at most `batchSize` records a call (within
 * `maximumBatchingWindowInSeconds` when set), passes the records matching `filterPatterns` to the function, and on a
 * reported item failure re-reads from that
 * record; on a function error retries the batch (halved with `bisectBatchOnFunctionError`). After
 * `maximumRetryAttempts` the batch is given up (`onGiveUp`) and the shard moves on; records older than
 * `maximumRecordAgeInSeconds` are dropped the same way.
 */
export const startStreamPoller = ({
  client,
  streamsClient,
  tableName,
  invoke,
  settings = streamMappingSettings,
  idleMs = 250,
  checkpoint,
  name = 'groupState',
  onGiveUp = (failure) => console.error(`${name} stream: gave up on ${JSON.stringify(failure)}`),
}: StreamPollerOptions): StreamPoller => {
  const shards = new Map<string, ShardReader>();
  let running = true;
  let waiters: (() => void)[] = [];

  const streamArnOf = async (): Promise<string> => {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (!Table?.LatestStreamArn) throw new Error(`table ${tableName} has no stream`);
    return Table.LatestStreamArn;
  };

  const iteratorFor = async (streamArn: string, shard: ShardReader): Promise<string | undefined> => {
    const { ShardIterator } = await streamsClient.send(
      new GetShardIteratorCommand(
        shard.retryFrom !== undefined
          ? {
              StreamArn: streamArn,
              ShardId: shard.shardId,
              ShardIteratorType: 'AT_SEQUENCE_NUMBER',
              SequenceNumber: shard.retryFrom,
            }
          : shard.position !== undefined
            ? {
                StreamArn: streamArn,
                ShardId: shard.shardId,
                ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
                SequenceNumber: shard.position,
              }
            : {
                StreamArn: streamArn,
                ShardId: shard.shardId,
                ShardIteratorType: settings.startingPosition === 'LATEST' ? 'LATEST' : 'TRIM_HORIZON',
              },
      ),
    );
    return ShardIterator;
  };

  const discoverShards = async (streamArn: string): Promise<void> => {
    const saved = checkpoint?.load(streamArn) ?? new Map<string, string>();
    let start: string | undefined;
    do {
      const { StreamDescription } = await streamsClient.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }),
      );
      for (const shard of StreamDescription?.Shards ?? []) {
        if (shard.ShardId === undefined || shards.has(shard.ShardId)) continue;
        shards.set(shard.ShardId, {
          shardId: shard.ShardId,
          parentShardId: shard.ParentShardId,
          iterator: undefined,
          position: saved.get(shard.ShardId),
          attempts: 0,
          retryFrom: undefined,
          limit: settings.batchSize,
          finished: false,
        });
      }
      start = StreamDescription?.LastEvaluatedShardId;
    } while (start !== undefined);
  };

  const giveUp = (shard: ShardReader, batch: StreamRecord[]) => {
    onGiveUp({
      shardId: shard.shardId,
      firstSequenceNumber: batch[0]?.dynamodb?.SequenceNumber ?? '',
      lastSequenceNumber: batch.at(-1)?.dynamodb?.SequenceNumber ?? '',
      attempts: shard.attempts,
    });
    shard.attempts = 0;
    shard.retryFrom = undefined;
    shard.limit = settings.batchSize;
  };

  /**
   * Reads one batch, as Lambda gathers it: up to the batch size (several GetRecords beyond 1,000 records),
   * and while it is not full, reading again until `maximumBatchingWindowInSeconds` has passed since its first record.
   */
  const readBatch = async (
    shard: ShardReader,
  ): Promise<{ batch: StreamRecord[]; nextIterator: string | undefined }> => {
    const batch: StreamRecord[] = [];
    const windowMs = (settings.maximumBatchingWindowInSeconds ?? 0) * 1000;
    let windowEnds: number | undefined;
    let iterator: string | undefined = shard.iterator;
    while (iterator !== undefined && running) {
      const limit = Math.min(MAX_RECORDS_PER_READ, shard.limit - batch.length);
      const page = await streamsClient.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: limit }));
      const records = page.Records ?? [];
      batch.push(...records);
      iterator = page.NextShardIterator ?? undefined;
      if (batch.length === 0 || batch.length >= shard.limit) break;
      if (records.length === limit) continue;
      windowEnds ??= Date.now() + windowMs;
      const windowLeft = windowEnds - Date.now();
      if (windowLeft <= 0) break;
      await new Promise((resolve) => setTimeout(resolve, Math.min(windowLeft, idleMs)));
    }
    return { batch, nextIterator: iterator };
  };

  /** The shard has been handled up to the batch's last record. */
  const advance = (streamArn: string, shard: ShardReader, batch: StreamRecord[]) => {
    const last = batch.at(-1)?.dynamodb?.SequenceNumber;
    if (last === undefined) return;
    shard.position = last;
    checkpoint?.save(streamArn, shard.shardId, last);
  };

  /** One batch of one shard, handed to the function; true when it read records. */
  const pollShard = async (streamArn: string, shard: ShardReader): Promise<boolean> => {
    shard.iterator ??= await iteratorFor(streamArn, shard);
    if (shard.iterator === undefined) {
      shard.finished = true;
      return false;
    }
    const { batch, nextIterator } = await readBatch(shard);
    if (nextIterator === undefined) shard.finished = batch.length === 0;
    const oldest = Date.now() / 1000 - settings.maximumRecordAgeInSeconds;
    const fresh = batch.filter(
      (record) => new Date(record.dynamodb?.ApproximateCreationDateTime ?? Date.now()).getTime() / 1000 >= oldest,
    );
    const records = fresh
      .map((record) => lambdaRecord(record, streamArn))
      .filter((record) => matchesAnyPattern(record, settings.filterPatterns));

    let failedAt: string | undefined;
    if (records.length > 0) {
      try {
        const response = await invoke({ Records: records });
        failedAt = response?.batchItemFailures?.[0]?.itemIdentifier;
      } catch {
        failedAt = records[0]?.dynamodb?.SequenceNumber;
        if (settings.bisectBatchOnFunctionError) shard.limit = Math.max(1, Math.ceil(batch.length / 2));
      }
    }
    if (failedAt === undefined) {
      shard.iterator = nextIterator;
      advance(streamArn, shard, batch);
      shard.attempts = 0;
      shard.retryFrom = undefined;
      shard.limit = settings.batchSize;
      return batch.length > 0;
    }
    shard.attempts += 1;
    if (shard.attempts > settings.maximumRetryAttempts) {
      giveUp(shard, batch);
      shard.iterator = nextIterator;
      advance(streamArn, shard, batch);
      return true;
    }
    shard.retryFrom = failedAt;
    shard.iterator = undefined;
    shard.finished = false;
    return true;
  };

  const loop = (async () => {
    let streamArn: string | undefined;
    while (running) {
      let busy = false;
      let failed = false;
      try {
        streamArn ??= await streamArnOf();
        await discoverShards(streamArn);
        for (const shard of shards.values()) {
          if (shard.finished) continue;
          const parent = shard.parentShardId === undefined ? undefined : shards.get(shard.parentShardId);
          if (parent !== undefined && !parent.finished) continue;
          while (running && (await pollShard(streamArn, shard))) busy = true;
        }
      } catch (error) {
        // An expired or broken iterator: each shard continues after its last handled record.
        failed = true;
        for (const shard of shards.values()) shard.iterator = undefined;
        console.error(`${name} stream: ${(error as Error).message}`);
      }
      if (!busy && !failed) {
        const ready = waiters;
        waiters = [];
        for (const resolve of ready) resolve();
      }
      if (running) await new Promise((resolve) => setTimeout(resolve, busy ? 0 : idleMs));
    }
  })();

  return {
    drained: () => new Promise<void>((resolve) => waiters.push(resolve)),
    async stop() {
      running = false;
      await loop;
      for (const resolve of waiters) resolve();
    },
  };
};
