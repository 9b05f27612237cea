import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';

export interface TestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

/** What one request to the stand-in carried, and whether its SigV4 signature is right for `credentials`. */
export interface SignedRequestSeen {
  target: string | undefined;
  service: string | undefined;
  accessKeyId: string | undefined;
  securityToken: string | undefined;
  signatureValid: boolean;
}

export interface SignatureCheckingAws {
  endpoint: string;
  requests: SignedRequestSeen[];
  close(): Promise<void>;
}

const AUTHORIZATION = new RegExp(
  '^AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, ' +
    'SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$',
);

const readBody = async (request: IncomingMessage): Promise<string> => {
  let text = '';
  for await (const chunk of request) text += String(chunk);
  return text;
};

/** `20261127T141500Z` → its Date. */
const amzDate = (value: string): Date =>
  new Date(value.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));

/** Signs the request again with the expected credentials, from its own signed headers and time, and compares. */
const signatureMatches = async (
  request: IncomingMessage,
  body: string,
  credentials: TestCredentials,
): Promise<boolean> => {
  const match = AUTHORIZATION.exec(request.headers.authorization ?? '');
  if (!match) return false;
  const [, , , region = '', service = '', signedHeaderNames = '', signature] = match;
  const headers = Object.fromEntries(
    signedHeaderNames.split(';').map((name) => [name, String(request.headers[name] ?? '')]),
  );
  const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
  const signer = new SignatureV4({ service, region, credentials, sha256: Sha256 });
  const resigned = await signer.sign(
    {
      method: request.method ?? 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query: {},
      headers,
      body,
    },
    { signingDate: amzDate(headers['x-amz-date'] ?? '') },
  );
  return String(resigned.headers.authorization).endsWith(`Signature=${signature}`);
};

/**
 * One local endpoint for DynamoDB and SSM (AWS JSON protocols, told apart by X-Amz-Target) that checks every
 * request's SigV4 signature against `credentials`: PutItem and GetItem succeed empty, GetParameter answers
 * `parameterValue`, a request signed otherwise gets the 403 AWS would send.
 */
export const startSignatureCheckingAws = async (
  credentials: TestCredentials,
  parameterValue: string,
): Promise<SignatureCheckingAws> => {
  const requests: SignedRequestSeen[] = [];
  const server: Server = createServer((request, response) => {
    void readBody(request).then(async (body) => {
      const credential = /Credential=([^/]+)\/\d{8}\/[^/]+\/([^/]+)\//.exec(request.headers.authorization ?? '');
      const seen: SignedRequestSeen = {
        target: request.headers['x-amz-target'] as string | undefined,
        service: credential?.[2],
        accessKeyId: credential?.[1],
        securityToken: request.headers['x-amz-security-token'] as string | undefined,
        signatureValid: await signatureMatches(request, body, credentials),
      };
      requests.push(seen);
      response.setHeader('content-type', 'application/x-amz-json-1.0');
      if (!seen.signatureValid) {
        response.statusCode = 403;
        response.end(
          JSON.stringify({
            __type: 'InvalidSignatureException',
            message: 'The request signature we calculated does not match',
          }),
        );
        return;
      }
      const answer =
        seen.target === 'AmazonSSM.GetParameter'
          ? { Parameter: { Type: 'SecureString', Value: parameterValue, Version: 1 } }
          : {};
      response.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
