import { MSG } from './messages.ts';

/** The rules engine version we implement (Falco HEAD's falco_engine_version.h). */
export const ENGINE_VERSION = '0.63.0';

/**
 * The plugin versions kaudit is compatible with, since it implements their fields itself:
 * the k8s_audit source plugins (k8saudit and its cloud variants), the json extractor and
 * k8sadmission. A load claims only some of them: see pluginsFor.
 */
export const PLUGIN_VERSIONS: ReadonlyMap<string, string> = new Map([
  ['k8saudit', '0.18.0'],
  ['json', '0.7.4'],
  ['k8saudit-eks', '0.12.0'],
  ['k8saudit-gke', '0.9.0'],
  ['k8saudit-aks', '0.6.0'],
  ['k8saudit-ovh', '0.6.0'],
  ['k8sadmission', '0.1.0'],
]);

/**
 * What reads the audit events of a run: an input format of `--input-format` (`auto` for
 * the default, each line by its shape) or `webhook` (kaudit serve's /k8s-audit).
 */
export type EventProvider =
  | 'auto'
  | 'jsonl'
  | 'kube-audit-rest'
  | 'eks'
  | 'gke'
  | 'aks'
  | 'ovh'
  | 'webhook';

/** The Falco plugin that would provide the k8s_audit source for each provider. */
const SOURCE_PLUGIN: Readonly<Record<EventProvider, string>> = {
  auto: 'k8saudit',
  jsonl: 'k8saudit',
  'kube-audit-rest': 'k8saudit',
  webhook: 'k8saudit',
  eks: 'k8saudit-eks',
  gke: 'k8saudit-gke',
  aks: 'k8saudit-aks',
  ovh: 'k8saudit-ovh',
};

/**
 * The plugins a run claims to have loaded, as Falco would for the same input: the one
 * plugin providing the k8s_audit source (Falco opens one source plugin per source:
 * k8saudit for a file or the webhook, k8saudit-eks for CloudWatch's EKS logs, ...), the
 * json extractor, and k8sadmission for the k8s_admission source.
 * `required_plugin_versions` entries are checked against this set, so that a rules file
 * that requires k8saudit-eks alone loads only with `--input-format eks`, and the
 * official rules (k8saudit with the cloud variants as alternatives) load with any.
 *
 * @example pluginsFor('eks').get('k8saudit-eks'); // '0.12.0'
 */
export function pluginsFor(provider: EventProvider): ReadonlyMap<string, string> {
  const names = [SOURCE_PLUGIN[provider], 'json', 'k8sadmission'];
  return new Map(names.map((n) => [n, PLUGIN_VERSIONS.get(n) as string]));
}

/** A parsed `x.y.z` version. */
export interface SemVer {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

/** Parses `x.y.z` (trailing text ignored, as sinsp_version's sscanf does). */
export function parseSemVer(text: string): SemVer | undefined {
  const m = /^\s*(\d+)\.(\d+)\.(\d+)/.exec(text);
  if (m === null) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
}

/** -1, 0 or 1. */
export function compareSemVer(a: SemVer, b: SemVer): number {
  const d = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  return Math.sign(d);
}

/** sinsp_version::compatible_with: same major and at least the required version. */
export function isCompatible(have: SemVer, required: SemVer): boolean {
  return have.major === required.major && compareSemVer(have, required) >= 0;
}

/** Renders a SemVer as `x.y.z`. */
export function formatSemVer(v: SemVer): string {
  return `${v.major}.${v.minor}.${v.patch}`;
}

/** One `{name, version}` of a `required_plugin_versions` entry or its alternatives. */
export interface PluginRequirement {
  readonly name: string;
  readonly version: string;
}

/**
 * Falco's check_plugin_requirements for one entry (the entry first, then its
 * alternatives): the first alternative naming a loaded plugin decides. Returns the error
 * message, or undefined when satisfied.
 */
export function checkPluginRequirement(
  alternatives: readonly PluginRequirement[],
  plugins: ReadonlyMap<string, string>,
): string | undefined {
  for (const req of alternatives) {
    const have = plugins.get(req.name);
    if (have === undefined) continue;
    const haveVer = parseSemVer(have);
    if (haveVer === undefined) return MSG.pluginInvalidVersion(req.name, have);
    const reqVer = parseSemVer(req.version);
    if (reqVer === undefined || !isCompatible(haveVer, reqVer)) {
      return MSG.pluginIncompatible(req.name, have, req.version);
    }
    return undefined;
  }
  return MSG.pluginNotLoaded(alternatives);
}
