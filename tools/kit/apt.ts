// Installs Debian packages the tests need on a fresh machine (CI runs the test command as root),
// the one way the project calls apt-get. Every call waits for the dpkg lock instead of failing at
// once with "Could not get lock /var/lib/dpkg/lock-frontend" while another apt-get runs (a boot-time
// update, a parallel job): DPkg::Lock::Timeout, in seconds.
import { spawnSync } from 'node:child_process';

export const APT_LOCK_TIMEOUT_SECONDS = 600;

/** The apt-get argument lists for installing `packages`: an index update, then the install. */
export function aptGetCommands(packages: readonly string[]): string[][] {
  const wait = ['-o', `DPkg::Lock::Timeout=${APT_LOCK_TIMEOUT_SECONDS}`];
  return [
    [...wait, 'update', '-qq'],
    [...wait, 'install', '-y', '-qq', ...packages],
  ];
}

export function canInstallWithApt(): boolean {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return isRoot && spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
}

/** Runs apt-get for `packages`; returns the failing command's description, or undefined on success. */
export function aptInstall(packages: readonly string[]): string | undefined {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of aptGetCommands(packages)) {
    const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (result.status !== 0) return `apt-get ${args.join(' ')} failed (exit ${result.status ?? result.signal})`;
  }
  return undefined;
}
