/**
 * Child process (the bench's): an in-memory dynalite on a free port, in its own process so its CPU is not
 * counted in the measured ones. Prints its endpoint as one JSON line; stops when its stdin closes.
 */
import { startEmbeddedDynamo } from './embeddedDynamo.js';

const dynamo = await startEmbeddedDynamo();
console.log(JSON.stringify({ endpoint: dynamo.endpoint }));
process.stdin.resume();
process.stdin.once('end', () => {
  void dynamo.close().finally(() => process.exit(0));
});
