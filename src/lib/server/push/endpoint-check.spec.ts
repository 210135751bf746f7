import { describe, expect, it } from 'vitest';
import { checkPushEndpoint, type Resolver } from './endpoint-check';

const resolveTo =
  (...addresses: string[]): Resolver =>
  async () =>
    addresses;

describe('checkPushEndpoint (SSRF guard for push endpoints)', () => {
  it('accepts https on a public host', async () => {
    const result = await checkPushEndpoint('https://fcm.googleapis.com/fcm/send/abc', false, resolveTo('142.250.1.1'));
    expect(result.ok).toBe(true);
  });

  it.each([
    ['http://127.0.0.1:9000/push', 'https'],
    ['https://127.0.0.1/push', 'public'],
    ['https://10.0.0.1/push', 'public'],
    ['https://172.16.5.4/push', 'public'],
    ['https://192.168.1.1/push', 'public'],
    ['https://169.254.169.254/latest', 'public'],
    ['https://[::1]/push', 'public'],
    ['https://[fd00::1]/push', 'public'],
    ['https://[::ffff:10.0.0.1]/push', 'public'],
    ['https://localhost/push', 'public'],
    ['https://user:pw@push.example.com/', 'credentials'],
    ['ftp://push.example.com/', 'https'],
    ['not a url', 'URL']
  ])('refuses %s', async (endpoint, why) => {
    const result = await checkPushEndpoint(endpoint, false, resolveTo('142.250.1.1'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(why);
  });

  it('refuses a host name that resolves to a private address (any of them)', async () => {
    expect((await checkPushEndpoint('https://push.example.com/x', false, resolveTo('93.184.216.34', '10.1.2.3'))).ok).toBe(false);
    expect((await checkPushEndpoint('https://push.example.com/x', false, resolveTo('::1'))).ok).toBe(false);
  });

  it('refuses a host that does not resolve', async () => {
    const failing: Resolver = () => Promise.reject(new Error('ENOTFOUND'));
    expect((await checkPushEndpoint('https://nowhere.invalid/x', false, failing)).ok).toBe(false);
  });

  it('with allowInsecure: plain http to loopback passes, private ranges still do not', async () => {
    expect((await checkPushEndpoint('http://127.0.0.1:9000/push', true)).ok).toBe(true);
    expect((await checkPushEndpoint('http://localhost:9000/push', true)).ok).toBe(true);
    expect((await checkPushEndpoint('http://10.0.0.1/push', true)).ok).toBe(false);
  });
});
