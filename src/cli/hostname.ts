import { hostname } from 'node:os';

/** The alert hostname, as Falco chooses it: FALCO_HOSTNAME, else the machine's name. */
export function alertHostname(env: NodeJS.ProcessEnv = process.env): string {
  return env.FALCO_HOSTNAME || hostname();
}
