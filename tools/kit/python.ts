// The interpreter the Python samples run on: Debian's python3 (with python3-requests), what
// scripts/ensure-python.ts installs, not whatever python3 comes first on PATH (pyenv, a venv).
// PYTHON names another one.
export const DEBIAN_PYTHON = '/usr/bin/python3';
export const PYTHON_PACKAGES = ['python3', 'python3-requests'];

export function samplePython(env: NodeJS.ProcessEnv = process.env): string {
  return env.PYTHON || DEBIAN_PYTHON;
}
