import { describe, expect, it } from 'vitest';
import {
  defaultProvider,
  EnvironmentCredentialsMissingError,
  readEnvironmentCredentials,
} from '../../../lib/deployedBundle/environmentCredentials.js';

describe('readEnvironmentCredentials', () => {
  it('takes the key, the secret and the session token Lambda sets', () => {
    const credentials = readEnvironmentCredentials({
      AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'session',
    });

    expect(credentials).toEqual({ accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'session' });
  });

  it('leaves the session token out when there is none (long-term keys)', () => {
    expect(readEnvironmentCredentials({ AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' })).toEqual({
      accessKeyId: 'AKIAEXAMPLE',
      secretAccessKey: 'secret',
    });
  });

  it('refuses, naming each missing variable, and never looks anywhere else (a profile is ignored)', () => {
    const read = () => readEnvironmentCredentials({ AWS_PROFILE: 'dev', AWS_SECRET_ACCESS_KEY: 'secret' });

    expect(read).toThrow(EnvironmentCredentialsMissingError);
    expect(read).toThrow('no AWS credentials: AWS_ACCESS_KEY_ID not set');
    expect(() => readEnvironmentCredentials({ AWS_ACCESS_KEY_ID: '' })).toThrow(
      'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY not set',
    );
  });
});

describe('defaultProvider (in place of @aws-sdk/credential-provider-node)', () => {
  it('reads the environment until it finds credentials, then keeps them (the SDK does not cache them)', async () => {
    const saved = { ...process.env };
    try {
      delete process.env.AWS_ACCESS_KEY_ID;
      process.env.AWS_SECRET_ACCESS_KEY = 'secret';
      delete process.env.AWS_SESSION_TOKEN;
      const provider = defaultProvider({ profile: 'ignored' });
      await expect(provider()).rejects.toThrow(EnvironmentCredentialsMissingError);

      process.env.AWS_ACCESS_KEY_ID = 'ASIAEXAMPLE';
      await expect(provider()).resolves.toEqual({ accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret' });

      process.env.AWS_ACCESS_KEY_ID = 'ASIACHANGED';
      await expect(provider()).resolves.toEqual({ accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret' });
    } finally {
      process.env = saved;
    }
  });
});
