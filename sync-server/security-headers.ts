import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';

/**
 * Headers every response carries. SvelteKit's `kit.csp` (svelte.config.js) puts the page
 * policy, with the hashes of its inline boot script, in a `<meta>` tag of the prerendered
 * shell; a meta policy cannot say `frame-ancestors`, and a header is in force before the
 * first byte of markup, so the server sends the same policy as a header with
 * `frame-ancestors 'none'` added. The service worker's precached shell keeps these headers.
 * Pages SvelteKit renders on request send their own complete policy, which replaces this one.
 */
export interface SecurityHeaders {
  /** The Content-Security-Policy header value. */
  policy: string;
  apply(res: ServerResponse): void;
}

/** Without a built shell (tests of the bare server): nothing may load or frame us. */
const FALLBACK_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const STATIC_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  // Porch uses notifications (not a Permissions-Policy feature) and none of these.
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()'
};

/** The policy of SvelteKit's `<meta http-equiv="content-security-policy">` in `html`, or null. */
function metaPolicy(html: string): string | null {
  const match = /<meta http-equiv="content-security-policy" content="([^"]*)"/i.exec(html);
  return match ? match[1]!.replaceAll('&#39;', "'").replaceAll('&quot;', '"').replaceAll('&amp;', '&') : null;
}

/** Reads the prerendered shell (`shellFile`), if there is one, for its page policy. */
export function securityHeaders(shellFile?: string): SecurityHeaders {
  let page: string | null = null;
  if (shellFile) {
    try {
      page = metaPolicy(readFileSync(shellFile, 'utf8'));
    } catch {
      page = null;
    }
  }
  const policy = page ? `${page.replace(/;\s*$/, '')}; frame-ancestors 'none'` : FALLBACK_POLICY;
  return {
    policy,
    apply(res) {
      res.setHeader('content-security-policy', policy);
      for (const [name, value] of Object.entries(STATIC_HEADERS)) res.setHeader(name, value);
    }
  };
}
