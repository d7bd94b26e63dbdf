// What every CLI of scripts/ shares: its arguments read, one-line usage errors with exit code 2,
// and secrets kept out of output.
import { type ParseArgsConfig, parseArgs } from 'node:util';

/** A clear one-line error for the user, and the exit code 2 (usage or input), never a stack trace. */
export class UsageError extends Error {}

/** Runs a CLI's `main` with the process arguments and sets the exit code it returns (2 on any error). */
export async function runCli(main: (argv: string[]) => Promise<number>): Promise<void> {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (error) {
    const message =
      error instanceof UsageError ? error.message : `unexpected error: ${(error as Error)?.message ?? error}`;
    console.error(message.split('\n')[0]);
    process.exitCode = 2;
  }
}

/** `text` with every secret (token, key, host) replaced, for messages meant for output. */
export function redact(text: unknown, secrets: (string | undefined)[]): string {
  let out = String(text);
  for (const secret of secrets) if (secret) out = out.split(secret).join('[redacted]');
  return out;
}

/** `parseArgs` (strict), with a bad option or value turned into a usage error that points at --help. */
export function parseCliArgs<const T extends ParseArgsConfig>(
  config: T,
  command: string,
): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new UsageError(`${(error as Error).message}. See npm run ${command} -- --help`);
  }
}
