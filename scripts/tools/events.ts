/**
 * `npm run events [-- --json]`: shows the events the running `npm start` publishes, as they reach its local
 * EventBridge bus: those published so far, then each new one, until Ctrl-C. One line per event (time, detail-type,
 * group, delivery ID), or with --json each whole envelope as EventBridge delivers it, one JSON document a line.
 */
import type { EventEnvelope } from '../stack/bus/eventEnvelope.js';
import { readRunningStack } from '../stack/runningStack.js';

const args = process.argv.slice(2);
const asJson = args.includes('--json');
if (args.some((arg) => arg !== '--json')) {
  console.error('usage: npm run events [-- --json]');
  process.exit(2);
}

const stack = readRunningStack();
if (!stack) {
  console.error('No npm start is running: run `npm start` (in another terminal), then npm run events.');
  process.exit(1);
}
if (!stack.eventBusEndpoint) {
  console.error(`npm start (pid ${stack.pid}) runs without a local event bus: restart it to publish events.`);
  process.exit(1);
}

const summary = (event: EventEnvelope): string => {
  const { groupId, deliveryId } = event.detail;
  return [event.time, event['detail-type'].padEnd(24), String(groupId ?? '-'), String(deliveryId ?? '-')].join('  ');
};

const feedUrl = `${stack.eventBusEndpoint}/local/events`;
const response = await fetch(feedUrl).catch((error: Error) => {
  console.error(`npm start's local event bus at ${stack.eventBusEndpoint} does not answer: ${error.message}`);
  process.exit(1);
});
if (!response.ok || !response.body) {
  console.error(`npm start's local event bus answered HTTP ${response.status} at ${feedUrl}.`);
  process.exit(1);
}
console.error(`Events published by npm start (pid ${stack.pid}), bus ${stack.eventBusEndpoint}; Ctrl-C to stop.`);

let pending = '';
try {
  for await (const chunk of response.body.pipeThrough(new TextDecoderStream())) {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines.filter((text) => text.trim() !== ''))
      console.log(asJson ? line : summary(JSON.parse(line) as EventEnvelope));
  }
  console.error('The local event bus closed: npm start stopped.');
} catch (error) {
  console.error(`The local event bus's feed broke off: ${(error as Error).message}`);
  process.exitCode = 1;
}
