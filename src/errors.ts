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

/** Raised when a helper is called with an argument it cannot use; names the argument. */
export class CloudSoarArgumentError extends Error {
  override readonly name = 'CloudSoarArgumentError';
  constructor(
    readonly argument: string,
    message: string,
  ) {
    super(`${argument}: ${message}`);
  }
}
