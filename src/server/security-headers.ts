// Security headers for every route, from one @fastify/helmet configuration. JSON and API routes get
// a CSP that allows nothing; the three pages (SMART app, auditor page, about pages) each name
// their own CSP through the route's `helmet` option (smart-app/page-headers.ts, AUDIT_PAGE_HEADERS
// below, src/about/about-plugin.ts). HSTS is sent when the public URL is https.
import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';

type Directives = Record<string, string[]>;

const NOTHING: Directives = {
  defaultSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
};

const csp = (directives: Directives) => ({ contentSecurityPolicy: { useDefaults: false, directives } });

/** The auditor page: its own scripts and API only; never framed. */
export const AUDIT_PAGE_HEADERS = csp({
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  formAction: ["'none'"],
  baseUri: ["'none'"],
  frameAncestors: ["'none'"],
});

function helmetOptions(config: Pick<Config, 'PUBLIC_BASE_URL'>): FastifyHelmetOptions {
  const https = config.PUBLIC_BASE_URL.startsWith('https:');
  return {
    global: true,
    ...csp(NOTHING),
    // CSP frame-ancestors decides framing; X-Frame-Options cannot allow the EHR to frame the SMART page.
    frameguard: false,
    // same-origin, not no-referrer: with no-referrer a browser sends `Origin: null` on same-origin
    // POSTs, which the SMART app's CSRF check rightly refuses.
    referrerPolicy: { policy: 'same-origin' },
    // The CDS Hooks Sandbox calls the service from another origin (CORS); CORP must not block it.
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    // A SMART standalone launch may run in a window the EHR opened.
    crossOriginOpenerPolicy: false,
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: false } : false,
  };
}

/** Registers the headers on `app` and everything registered in it afterwards. */
export async function registerSecurityHeaders(
  app: FastifyInstance,
  config: Pick<Config, 'PUBLIC_BASE_URL'>,
): Promise<void> {
  await app.register(helmet, helmetOptions(config));
}
