import { spawnSync } from 'node:child_process';
import { repositoryRoot, serverlessCli } from '../../stack/localSettings.js';
import { groupsUrlOf } from '../groupsUrl.js';

/** Where `npm run smoke` sends its callback and reads it back, and with which app and token. */
export interface SmokeTarget {
  webhookUrl: URL;
  groupsUrl: URL;
  region: string;
  sdkAppId: string;
  /** The token to sign with; undefined sends an unsigned callback. */
  callbackTokenParameter: string | undefined;
  /** Deployed: the read API wants SigV4 (IAM). On this machine (`npm start`) its routes are open: no AWS needed. */
  signReads: boolean;
}

/** localhost, *.localhost, 127.0.0.0/8 or ::1: a server on this machine, not a deployed API. */
export const isLoopbackUrl = (url: URL): boolean =>
  url.hostname === 'localhost' ||
  url.hostname.endsWith('.localhost') ||
  /^127(\.\d{1,3}){3}$/.test(url.hostname) ||
  url.hostname === '[::1]';

const serverless = (args: string[]): string => {
  const run = spawnSync(process.execPath, [serverlessCli, ...args], { cwd: repositoryRoot, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`serverless ${args.join(' ')} failed:\n${run.stdout}${run.stderr}`);
  return run.stdout;
};

/** A webhook URL as given (`npm start`'s or a deployed one), or a deployed stage's, from its outputs and settings. */
export const resolveSmokeTarget = (stageOrUrl: string, env: NodeJS.ProcessEnv): SmokeTarget => {
  if (/^https?:\/\//.test(stageOrUrl)) {
    const webhookUrl = new URL(stageOrUrl);
    return {
      webhookUrl,
      groupsUrl: groupsUrlOf(webhookUrl),
      region: env.AWS_REGION ?? 'eu-west-1',
      sdkAppId: env.SDK_APP_ID ?? '1400000001',
      callbackTokenParameter: env.CALLBACK_TOKEN_PARAMETER,
      signReads: !isLoopbackUrl(webhookUrl),
    };
  }
  const config = JSON.parse(serverless(['print', '--stage', stageOrUrl, '--format', 'json'])) as {
    custom: { settings: Record<string, string> };
  };
  const settings = config.custom.settings;
  const info = serverless(['info', '--stage', stageOrUrl, '--verbose']);
  const output = (name: string) => {
    const value = new RegExp(`^\\s*${name}: (\\S+)`, 'm').exec(info)?.[1];
    if (value === undefined) throw new Error(`no ${name} in the outputs of stage ${stageOrUrl}: is it deployed?`);
    return new URL(value);
  };
  return {
    webhookUrl: output('WebhookUrl'),
    groupsUrl: output('GroupsUrl'),
    region: settings.region ?? '',
    sdkAppId: env.SDK_APP_ID ?? settings.sdkAppId ?? '',
    callbackTokenParameter: settings.callbackTokenParameter || undefined,
    signReads: true,
  };
};
