import { createHash, createHmac } from 'node:crypto';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SourceData } from '@smithy/types';

const bytes = (data: SourceData): string | Uint8Array =>
  typeof data === 'string'
    ? data
    : data instanceof Uint8Array
      ? data
      : new Uint8Array(ArrayBuffer.isView(data) ? data.buffer : data);

/** SHA-256 (or its HMAC with a secret) in the shape SignatureV4 expects, from node:crypto. */
class NodeSha256 {
  private readonly hash;
  public constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  public update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  public async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

/**
 * GET `url` signed with SigV4 for API Gateway (`execute-api`) with the caller's AWS credentials (the SDK's
 * default chain: environment, profile, SSO, instance role), as the read API's IAM authorization requires.
 */
export const signedGet = async (url: URL, region: string): Promise<Response> => {
  const signer = new SignatureV4({
    service: 'execute-api',
    region,
    credentials: defaultProvider(),
    sha256: NodeSha256,
  });
  const signed = await signer.sign({
    method: 'GET',
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port === '' ? {} : { port: Number(url.port) }),
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: { host: url.host },
  });
  return fetch(url, { headers: signed.headers });
};
