/** Raised synchronously when the client is configured wrongly; names the option, never its secret value. */
export class CloudSoarConfigError extends Error {
  override readonly name = 'CloudSoarConfigError';
  constructor(
    /** The option that was wrong, e.g. `baseUrl` or `token`. */
    readonly option: string,
    message: string,
  ) {
    super(`${option}: ${message}`);
  }
}
