// Installs a server the tests need from Debian's packages, the one way for all of them
// (postgres.mjs, nats.mjs): only when it is missing, only as root, without prompts.
import { spawnSync } from 'node:child_process';

/**
 * Returns what `find` finds; when it finds nothing, installs Debian's package `pkg`
 * (apt-get update first) and looks again. `label` names the server in messages.
 */
export function ensureDebianPackage(pkg, label, find) {
  let found = find();
  if (found !== undefined) return found;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `${label} is not installed and installing it needs root: apt-get install -y ${pkg}`,
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) => {
    const r = spawnSync('apt-get', args, { env, stdio: 'inherit' });
    if (r.status !== 0) {
      throw new Error(
        `apt-get ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`})`,
      );
    }
  };
  apt(['update']);
  // The packages enable services of their own (a default cluster, a systemd unit); the
  // tests start their own servers and leave those be.
  apt(['install', '-y', '--no-install-recommends', pkg]);
  found = find();
  if (found === undefined) throw new Error(`apt-get installed ${pkg} but ${label} is not found`);
  return found;
}
