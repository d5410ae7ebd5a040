// The SMART page's own Content-Security-Policy, given to @fastify/helmet per route (the app's one
// helmet configuration, src/server/security-headers.ts, allows nothing by default).
import type { FastifyHelmetRouteOptions } from '@fastify/helmet';

/**
 * No inline script or style. The page is framed by the EHR (an iframe launch), whose origin only
 * the deployment knows, so frame-ancestors is left out here.
 */
export const SMART_PAGE_HEADERS = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      objectSrc: ["'none'"],
    },
  },
} satisfies FastifyHelmetRouteOptions['helmet'];

/** Route options for the page, its files and the launch's HTML answers. */
export const SMART_PAGE_ROUTE = { helmet: SMART_PAGE_HEADERS } as const;
