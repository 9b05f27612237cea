import { BlockList, isIP } from 'node:net';
import { WebhookRejectedError } from '../../tencent/rejection.js';
import type { WebhookMiddleware, WebhookRequestEvent } from '../types.js';

/**
 * The caller's address as API Gateway saw the connection (HTTP API: `requestContext.http.sourceIp`; REST API:
 * `requestContext.identity.sourceIp`), never a header such as X-Forwarded-For that the caller writes itself.
 */
export const sourceIpOf = (event: WebhookRequestEvent): string | undefined => {
  const context = event.requestContext as { http?: { sourceIp?: string }; identity?: { sourceIp?: string } };
  return context?.http?.sourceIp ?? context?.identity?.sourceIp;
};

/** An IPv4 address written as IPv6 (`::ffff:203.0.113.9`, as a dual-stack socket reports it) is checked as IPv4. */
const MAPPED_IPV4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** Entries as Tencent's GetIPList answers them: CIDRs or bare addresses (a single host), IPv4 or IPv6. */
export const parseSourceIpAllowlist = (entries: readonly string[]): { list: BlockList } | { problem: string } => {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefixText, ...rest] = entry.split('/');
    const version = isIP(address);
    const family = version === 6 ? 'ipv6' : 'ipv4';
    const maxPrefix = version === 6 ? 128 : 32;
    const prefix = prefixText === undefined ? maxPrefix : Number(prefixText);
    const wellFormedPrefix = prefixText === undefined || /^\d{1,3}$/.test(prefixText);
    if (version === 0 || rest.length > 0 || !wellFormedPrefix || prefix > maxPrefix) {
      return { problem: `SOURCE_IP_ALLOWLIST has an entry that is not an IP address or CIDR: ${entry}` };
    }
    list.addSubnet(address, prefix, family);
  }
  return { list };
};

const isListed = (list: BlockList, address: string): boolean => {
  const mapped = MAPPED_IPV4.exec(address)?.[1];
  if (mapped !== undefined) return list.check(mapped, 'ipv4') || list.check(address, 'ipv6');
  const version = isIP(address);
  return version !== 0 && list.check(address, version === 6 ? 'ipv6' : 'ipv4');
};

/**
 * SOURCE_IP_ALLOWLIST: with entries, a request from any other address is refused before anything else is read
 * (the query and the body included). Empty: off. A malformed entry refuses every request, naming it.
 */
export const refuseUnlistedSourceIp = (entries: readonly string[]): WebhookMiddleware => {
  const parsed = parseSourceIpAllowlist(entries);
  return {
    before: function refuseUnlistedSourceIpBefore(request) {
      if ('problem' in parsed) throw new WebhookRejectedError('NotConfigured', parsed.problem);
      const address = sourceIpOf(request.event);
      if (address === undefined || !isListed(parsed.list, address)) {
        throw new WebhookRejectedError('SourceIpNotAllowed', `source address ${address ?? '(none)'} is not allowed`);
      }
    },
  };
};
