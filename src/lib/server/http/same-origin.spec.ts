import { describe, expect, it } from 'vitest';
import { changesState, isSameOrigin } from './same-origin';

describe('isSameOrigin', () => {
  it('without ORIGIN compares the host and port with the Host header', () => {
    expect(isSameOrigin('http://127.0.0.1:3000', { host: '127.0.0.1:3000' })).toBe(true);
    expect(isSameOrigin('http://127.0.0.1:3001', { host: '127.0.0.1:3000' })).toBe(false);
    expect(isSameOrigin('https://evil.example', { host: '127.0.0.1:3000' })).toBe(false);
    expect(isSameOrigin('http://127.0.0.1:3000', { host: null })).toBe(false);
  });

  it('with ORIGIN set the whole origin must match, scheme included', () => {
    const app = { configuredOrigin: 'https://chat.example.org', host: 'internal:3000' };
    expect(isSameOrigin('https://chat.example.org', app)).toBe(true);
    expect(isSameOrigin('http://chat.example.org', app)).toBe(false);
    expect(isSameOrigin('http://internal:3000', app)).toBe(false);
  });

  it('refuses "null" and malformed origins, allows an absent one (non-browser clients)', () => {
    expect(isSameOrigin('null', { host: 'a:1' })).toBe(false);
    expect(isSameOrigin('not a url', { host: 'a:1' })).toBe(false);
    expect(isSameOrigin(undefined, { host: 'a:1' })).toBe(true);
    expect(isSameOrigin(null, { host: 'a:1' })).toBe(true);
  });

  it('guards every method but GET, HEAD and OPTIONS', () => {
    expect(['GET', 'HEAD', 'OPTIONS'].map(changesState)).toEqual([false, false, false]);
    expect(['POST', 'PUT', 'PATCH', 'DELETE'].map(changesState)).toEqual([true, true, true, true]);
  });
});
