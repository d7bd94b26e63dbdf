import { CloudSoarConfigError } from './errors.js';

/** The SaaS deployments whose API hosts the spec's server enum lists (a test keeps the two equal). */
export const SAAS_DEPLOYMENTS = ['us1', 'us2', 'au', 'ca', 'ch', 'de', 'eu', 'fed', 'jp', 'kr', 'in', 'esc'] as const;
export type SaasDeployment = (typeof SAAS_DEPLOYMENTS)[number];

/**
 * Base URL of the current SaaS API for a deployment: `https://api.<dep>.sumologic.com/api/csoar/v3`,
 * except US1, whose host has no deployment segment.
 */
export function saasBaseUrl(deployment: SaasDeployment): string {
  if (!SAAS_DEPLOYMENTS.includes(deployment))
    throw new CloudSoarConfigError(
      'deployment',
      `unknown deployment ${JSON.stringify(deployment)}; one of ${SAAS_DEPLOYMENTS.join(', ')}`,
    );
  return `https://api.${deployment === 'us1' ? '' : `${deployment}.`}sumologic.com/api/csoar/v3`;
}

/** Base URL of a legacy, hosted or on-premises instance: `<scheme>://<host>/incmansuite_ng/api/v3`. */
export function legacyBaseUrl(host: string, { scheme = 'https' }: { scheme?: 'https' | 'http' } = {}): string {
  if (typeof host !== 'string' || !/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(host)) {
    throw new CloudSoarConfigError(
      'host',
      `must be a host[:port] such as acme.soar.sumologic.com, got ${JSON.stringify(host)}`,
    );
  }
  if (scheme !== 'https' && scheme !== 'http') throw new CloudSoarConfigError('scheme', 'must be "https" or "http"');
  return `${scheme}://${host}/incmansuite_ng/api/v3`;
}

/** Checks a base URL and returns it without a trailing slash (spec paths start with "/"). */
export function normaliseBaseUrl(baseUrl: unknown): string {
  let url: URL | undefined;
  try {
    url = new URL(baseUrl as string);
  } catch {
    // named below
  }
  // Never echoes the URL: it may carry credentials.
  const problem = !url
    ? 'must be an absolute URL such as https://soar.example.com/incmansuite_ng/api/v3'
    : !/^https?:$/.test(url.protocol)
      ? `must use http or https, not ${url.protocol}`
      : url.username || url.password
        ? 'must not carry credentials; pass them as auth'
        : url.search || url.hash
          ? 'must not have a query or fragment'
          : undefined;
  if (problem) throw new CloudSoarConfigError('baseUrl', problem);
  return url!.href.replace(/\/+$/, '');
}
