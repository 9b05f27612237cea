import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../scripts/stack/dynamo/embeddedDynamo.js';
import { ensureEventsTable } from '../../scripts/stack/dynamo/eventsTable.js';
import { localDynamoClient } from '../../scripts/stack/dynamo/localDynamoClient.js';
import { LOCAL_SDK_APP_ID, serverlessCli, tsxCli } from '../../scripts/stack/localSettings.js';
import { freePort } from '../../scripts/stack/process/freePort.js';
import { withoutAwsCredentials } from '../support/childEnv.js';
import { type LocalServer, startLocalServer } from '../support/localServer.js';
import { postLikeTencent } from '../support/rawHttp.js';
import { runTool } from '../support/runTool.js';

/**
 * The local tools find a running `npm start` through the running-stack.json it leaves in its data folder, whatever
 * its ports; with none they open the store themselves, or say in one line why they cannot. Every stack and tool
 * here has a data folder of its own (LOCAL_DATA_DIR): the developer's .data/ and own `npm start` are left alone.
 */
const GROUP = '@TGS#2J4SZEAEL';
const invoke = (eventFile: string) => [tsxCli, 'scripts/tools/invoke.ts', eventFile];
const group = [tsxCli, 'scripts/tools/group.ts', GROUP];
const serverlessInvokeLocal = [serverlessCli, 'invoke', 'local', '-f', 'webhook', '-p', 'events/group-destroyed.json'];
const STACK_TRACE_LINE = /^\s+at /m;

describe('with npm start running on ports of its own', () => {
  let server: LocalServer;
  let dynamodbPort: number;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dynamodbPort = await freePort();
    server = await startLocalServer({ DYNAMODB_PORT: String(dynamodbPort), LOG_LEVEL: 'silent' });
    env = { LOCAL_DATA_DIR: server.dataDirectory, LOG_LEVEL: 'silent' };
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('says where it runs in running-stack.json, once it listens', () => {
    const recorded = JSON.parse(readFileSync(join(server.dataDirectory, 'running-stack.json'), 'utf8'));
    expect(recorded).toMatchObject({
      pid: expect.any(Number),
      webhookUrl: `http://localhost:${server.port}/webhook`,
      httpPort: server.port,
      dynamodbEndpoint: `http://localhost:${dynamodbPort}`,
      engine: 'dynalite',
    });
  });

  it('npm run invoke, the HTTP route and npm run group all use its DynamoDB', async () => {
    // Act
    const invoked = await runTool(invoke('events/group-full.json'), env);
    const posted = await postLikeTencent(
      server.port,
      `/webhook?SdkAppid=${LOCAL_SDK_APP_ID}&CallbackCommand=Group.CallbackAfterGroupAttrChanged&contenttype=json`,
      JSON.stringify({
        CallbackCommand: 'Group.CallbackAfterGroupAttrChanged',
        GroupId: GROUP,
        OptionType: 'set',
        GroupAttr: [{ key: 'k', value: 'v' }],
        EventTime: '1670574414200',
      }),
    );
    const read = await runTool(group, env);

    // Assess
    expect(invoked.status, invoked.stdout + invoked.stderr).toBe(0);
    expect(invoked.stdout).toMatch(
      new RegExp(`HTTP 200 \\(.* ms, DynamoDB at http://localhost:${dynamodbPort}, npm start's \\(pid \\d+\\)\\)`),
    );
    expect(posted.statusCode).toBe(200);
    expect(read.status, read.stderr).toBe(0);
    expect(read.stdout).toContain(`local DynamoDB at http://localhost:${dynamodbPort}, npm start's (pid`);
    expect(read.stdout).toContain('"fullCount": 1');
    expect(read.stdout).toContain('Group.CallbackAfterGroupFull');
    expect(read.stdout).toContain('Group.CallbackAfterGroupAttrChanged');
  }, 60_000);

  it('serverless invoke local and npm run rebuild-state use it too', async () => {
    // Act
    const invoked = await runTool(serverlessInvokeLocal, env);
    const state = await fetch(`http://127.0.0.1:${server.port}/groups/${encodeURIComponent(GROUP)}`);
    const rebuilt = await runTool([tsxCli, 'scripts/tools/rebuild-state.ts', GROUP], env);

    // Assess
    expect(invoked.status, invoked.stdout + invoked.stderr).toBe(0);
    expect(await state.json()).toMatchObject({ groupId: GROUP, destroyed: true });
    expect(rebuilt.status, rebuilt.stderr).toBe(0);
    expect(rebuilt.stdout).toContain(`local DynamoDB at http://localhost:${dynamodbPort}, npm start's (pid`);
    expect(rebuilt.stdout).toContain(`${GROUP}: unchanged`);
  }, 90_000);

  it('npm run smoke with no argument checks it, with no AWS credentials at all', async () => {
    const run = await runTool([tsxCli, 'scripts/tools/smoke.ts'], { ...env, ...withoutAwsCredentials() });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain(`smoke: the running npm start, http://localhost:${server.port}/webhook`);
    expect(run.stdout).toContain('smoke: OK: the event is stored and readable');
  }, 60_000);

  it('npm run load -- <its URL> says first what it loads, then loads it', async () => {
    const url = `http://localhost:${server.port}/webhook`;
    const run = await runTool([tsxCli, 'scripts/tools/load.ts', url], {
      ...env,
      LOAD_REQUESTS: '40',
      LOAD_CONNECTIONS: '4',
    });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(new RegExp(`^load: target: ${url} \\(a running server`));
    expect(run.stdout).toContain('lost 0, doubled 0, invalid stored 0, unreadable 0');
    expect(run.stdout).toContain('PASS');
  }, 90_000);

  it('a second npm start says in one line that one already runs, and where, and exits 1', async () => {
    // Prepare
    const file = join(server.dataDirectory, 'running-stack.json');
    const { pid } = JSON.parse(readFileSync(file, 'utf8')) as { pid: number };

    // Act
    const run = await runTool([tsxCli, 'scripts/stack/start.ts'], {
      ...env,
      PORT: String(await freePort()),
      DYNAMODB_PORT: String(await freePort()),
      OFFLINE_LAMBDA_PORT: String(await freePort()),
    });

    // Assess
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim()).toBe(
      `npm start already runs (pid ${pid}: http://localhost:${server.port}/webhook, DynamoDB ` +
        `http://localhost:${dynamodbPort} (dynalite); ${file}): use it, or stop it first (Ctrl-C in its ` +
        `terminal, or kill ${pid}).`,
    );
  }, 60_000);

  it('removes running-stack.json when stopped with Ctrl-C', async () => {
    expect(await server.stop()).toBe(0);
    expect(existsSync(join(server.dataDirectory, 'running-stack.json'))).toBe(false);
  }, 30_000);
});

describe('with no npm start running', () => {
  let dataDirectory: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(() => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'no-stack-'));
    env = { LOCAL_DATA_DIR: dataDirectory, LOG_LEVEL: 'silent' };
  });
  afterEach(() => {
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('npm run invoke opens the store in the data folder itself; npm run group finds the event there', async () => {
    // Act
    const invoked = await runTool(invoke('events/group-full.json'), env);
    const read = await runTool(group, env);

    // Assess
    expect(invoked.status, invoked.stderr).toBe(0);
    expect(invoked.stdout).toMatch(/DynamoDB at http:\/\/localhost:\d+, embedded\)/);
    expect(read.status, read.stderr).toBe(0);
    expect(read.stdout).toContain('"fullCount": 1');
    expect(existsSync(join(dataDirectory, 'dynamodb'))).toBe(true);
  }, 60_000);

  it('ignores a running-stack.json whose npm start is gone', async () => {
    // Prepare: the pid of a process that has exited
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => gone.once('exit', resolve));
    writeFileSync(
      join(dataDirectory, 'running-stack.json'),
      JSON.stringify({
        pid: gone.pid,
        webhookUrl: 'http://localhost:1/webhook',
        httpPort: 1,
        dynamodbEndpoint: 'http://localhost:1',
        engine: 'dynalite',
        startedAt: new Date().toISOString(),
      }),
    );

    // Act
    const invoked = await runTool(invoke('events/group-full.json'), env);

    // Assess
    expect(invoked.status, invoked.stderr).toBe(0);
    expect(invoked.stdout).toMatch(/DynamoDB at http:\/\/localhost:\d+, embedded\)/);
  }, 60_000);

  describe('while another process holds the store', () => {
    let holder: EmbeddedDynamo;

    beforeEach(async () => {
      holder = await startEmbeddedDynamo({ path: join(dataDirectory, 'dynamodb') });
      const client = localDynamoClient(holder.endpoint);
      await ensureEventsTable(client, 'held-open');
      client.destroy();
    });
    afterEach(async () => {
      await holder?.close();
    });

    it('npm run invoke, npm run group and npm start say so in one line and exit 1, with no stack trace', async () => {
      // Act
      const runs = [
        await runTool(invoke('events/group-full.json'), env),
        await runTool(group, env),
        await runTool([tsxCli, 'scripts/stack/start.ts'], {
          ...env,
          PORT: String(await freePort()),
          DYNAMODB_PORT: String(await freePort()),
          OFFLINE_LAMBDA_PORT: String(await freePort()),
        }),
      ];

      // Assess
      const expected =
        `npm start is not running and ${join(dataDirectory, 'dynamodb')} is in use by pid ${process.pid}: ` +
        `wait for it to finish or stop it (kill ${process.pid}), or set AWS_ENDPOINT_URL_DYNAMODB to use another ` +
        'DynamoDB.';
      for (const run of runs) {
        expect(run.status).toBe(1);
        expect(run.stderr.trim()).toBe(expected);
        expect(run.stdout + run.stderr).not.toMatch(STACK_TRACE_LINE);
      }
    }, 90_000);

    it('serverless invoke local says so too and exits 1', async () => {
      const run = await runTool(serverlessInvokeLocal, env);
      expect(run.status).toBe(1);
      expect(run.stdout + run.stderr).toContain(`is in use by pid ${process.pid}: wait for it to finish or stop it`);
      expect(run.stdout + run.stderr).not.toMatch(STACK_TRACE_LINE);
    }, 90_000);
  });
});
