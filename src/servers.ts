import { CloudSoarConfigError } from './errors.js';

/**
 * SaaS deployments and their API hosts, as the spec's server enum lists them (a test keeps the two
 * equal). US1 has no deployment segment.
 */
export const SAAS_API_HOSTS = {
  us1: 'api.sumologic.com',
  us2: 'api.us2.sumologic.com',
  au: 'api.au.sumologic.com',
  ca: 'api.ca.sumologic.com',
  ch: 'api.ch.sumologic.com',
  de: 'api.de.sumologic.com',
  eu: 'api.eu.sumologic.com',
  fed: 'api.fed.sumologic.com',
  jp: 'api.jp.sumologic.com',
  kr: 'api.kr.sumologic.com',
  in: 'api.in.sumologic.com',
  esc: 'api.esc.sumologic.com',
} as const;

export type SaasDeployment = keyof typeof SAAS_API_HOSTS;

/** Base URL of the current SaaS API for a deployment: `https://api.<dep>.sumologic.com/api/csoar/v3`. */
export function saasBaseUrl(deployment: SaasDeployment): string {
  const host = SAAS_API_HOSTS[deployment];
  if (!host) throw new CloudSoarConfigError('deployment', `unknown deployment ${JSON.stringify(deployment)}; one of ${Object.keys(SAAS_API_HOSTS).join(', ')}`);
  return `https://${host}/api/csoar/v3`;
}

/** Base URL of a legacy, hosted or on-premises instance: `<scheme>://<host>/incmansuite_ng/api/v3`. */
export function legacyBaseUrl(host: string, { scheme = 'https' }: { scheme?: 'https' | 'http' } = {}): string {
  if (typeof host !== 'string' || !/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(host)) {
    throw new CloudSoarConfigError('host', `must be a host name such as yourcompany.soar.sumologic.com, got ${JSON.stringify(host)}`);
  }
  if (scheme !== 'https' && scheme !== 'http') throw new CloudSoarConfigError('scheme', 'must be "https" or "http"');
  return `${scheme}://${host}/incmansuite_ng/api/v3`;
}

/** Checks a base URL and returns it without a trailing slash (spec paths start with "/"). */
export function normaliseBaseUrl(baseUrl: unknown): string {
  if (typeof baseUrl !== 'string' || baseUrl.length === 0) {
    throw new CloudSoarConfigError('baseUrl', 'must be a URL such as https://soar.example.com/incmansuite_ng/api/v3 (or use legacyBaseUrl/saasBaseUrl)');
  }
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new CloudSoarConfigError('baseUrl', `is not an absolute URL: ${JSON.stringify(baseUrl)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new CloudSoarConfigError('baseUrl', `must use http or https, not ${url.protocol}`);
  if (url.username || url.password) throw new CloudSoarConfigError('baseUrl', 'must not carry credentials; pass them as auth');
  if (url.search || url.hash) throw new CloudSoarConfigError('baseUrl', 'must not have a query or fragment');
  return url.href.replace(/\/+$/, '');
}
