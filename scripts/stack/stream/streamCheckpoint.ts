import { readJsonFile, writeJsonFile } from '../jsonFile.js';

/**
 * Where each shard of a stream was read to, kept across restarts of `npm start` as Lambda's event source mapping
 * keeps it: without it, a restarted poller would start at the stream's horizon and hand on a day of records again.
 */
export interface StreamCheckpoint {
  /** The last sequence number handled per shard of this stream (a new stream: none). */
  load(streamArn: string): Map<string, string>;
  save(streamArn: string, shardId: string, sequenceNumber: string): void;
}

interface CheckpointFile {
  streamArn: string;
  shards: Record<string, string>;
}

export const fileStreamCheckpoint = (path: string): StreamCheckpoint => {
  let current: CheckpointFile = readJsonFile<CheckpointFile>(path, { streamArn: '', shards: {} });
  return {
    load(streamArn) {
      return new Map(current.streamArn === streamArn ? Object.entries(current.shards) : []);
    },
    save(streamArn, shardId, sequenceNumber) {
      if (current.streamArn !== streamArn) current = { streamArn, shards: {} };
      current.shards[shardId] = sequenceNumber;
      writeJsonFile(path, current);
    },
  };
};
