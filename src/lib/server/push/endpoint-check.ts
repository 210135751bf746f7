import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Is a push endpoint safe to POST to? A subscription's endpoint is chosen by the browser,
 * which means by whoever calls the API: without this check the server could be made to
 * send requests into its own network (SSRF). Only https on public addresses passes;
 * plain http and loopback only when `allowInsecure` (tests, local development).
 */
export type EndpointCheck = { ok: true; url: URL } | { ok: false; reason: string };

/** Resolves a host name to all its addresses (injected in unit tests). */
export type Resolver = (hostname: string) => Promise<string[]>;

export const dnsResolver: Resolver = async (hostname) => (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** Addresses that are never "the internet": private, link-local, shared, multicast, reserved. */
const internal = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4]
] as const) {
  internal.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8]
] as const) {
  internal.addSubnet(net, prefix, 'ipv6');
}

/** An IPv4 address written as IPv6 (::ffff:10.0.0.1) is judged as the IPv4 one. */
function unmapped(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

function classify(address: string): 'loopback' | 'internal' | 'public' {
  const ip = unmapped(address);
  const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
  if (loopback.check(ip, family)) return 'loopback';
  if (internal.check(ip, family)) return 'internal';
  return 'public';
}

export async function checkPushEndpoint(endpoint: string, allowInsecure: boolean, resolve: Resolver = dnsResolver): Promise<EndpointCheck> {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return { ok: false, reason: 'Endpoint is not a URL' };
  }
  if (url.protocol !== 'https:' && !(allowInsecure && url.protocol === 'http:')) return { ok: false, reason: 'Endpoint must use https' };
  if (url.username || url.password) return { ok: false, reason: 'Endpoint must not carry credentials' };
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) {
    return allowInsecure ? { ok: true, url } : { ok: false, reason: 'Endpoint must be on a public host' };
  }
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await resolve(host);
  } catch {
    return { ok: false, reason: 'Endpoint host does not resolve' };
  }
  if (addresses.length === 0) return { ok: false, reason: 'Endpoint host does not resolve' };
  for (const address of addresses) {
    const kind = classify(address);
    if (kind === 'internal' || (kind === 'loopback' && !allowInsecure)) return { ok: false, reason: 'Endpoint must be on a public host' };
  }
  return { ok: true, url };
}
