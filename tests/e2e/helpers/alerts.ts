// Alerts for the browser tests, made the way kaudit makes them: the default rules, the
// real decoder and engine, over examples/audit.log and over events with planted markup.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Alert } from '../../../src/engine/index.ts';
import { createDecoder } from '../../../src/events/index.ts';
import { createDetector, type Detector } from '../../../src/pipeline/index.ts';
import { formatLoadResult, type LoadedRule, loadRuleset } from '../../../src/rules/index.ts';

export const ROOT = join(import.meta.dirname, '..', '..', '..');
export const EXAMPLE_LOG = join(ROOT, 'examples', 'audit.log');

/** The global a planted payload would set if the page ever ran it. */
export const PWNED_FLAG = '__kauditPwned';

/** Markup planted in event fields; each would set PWNED_FLAG if rendered as HTML. */
export const PLANTED = {
  img: `<img src=x onerror="window.${PWNED_FLAG}='img'">`,
  script: `<script>window.${PWNED_FLAG}='script'</script>`,
  svg: `<svg onload="window.${PWNED_FLAG}='svg'"></svg>`,
  link: `javascript:window.${PWNED_FLAG}='href'`,
} as const;

export interface Ruleset {
  readonly rules: readonly LoadedRule[];
  readonly detector: Detector;
}

/** The built-in ruleset with every match firing (rule_matching: all), events kept. */
export async function loadDefaultRuleset(): Promise<Ruleset> {
  const result = await loadRuleset({ cache: false });
  if (!result.ok) throw new Error(formatLoadResult(result, { verbose: false }));
  const detector = createDetector(result.rules, {
    ruleMatching: 'all',
    hostname: 'e2e',
    fastpath: false,
    keepEvent: true,
  });
  return { rules: result.rules, detector };
}

/** Runs audit log lines through the decoder and the detector, as a scan does. */
export function scanLines(detector: Detector, lines: readonly string[], origin: string): Alert[] {
  const decoder = createDecoder();
  const alerts: Alert[] = [];
  lines.forEach((line, i) => {
    for (const rec of decoder.decodeLine(line, origin, i + 1))
      alerts.push(...detector.process(rec));
  });
  return alerts;
}

export async function readExampleLines(): Promise<string[]> {
  return (await readFile(EXAMPLE_LOG, 'utf8')).split('\n').filter((l) => l !== '');
}

function findEvent(
  lines: readonly string[],
  test: (e: Record<string, unknown>) => boolean,
): Record<string, unknown> {
  for (const l of lines) {
    const e = JSON.parse(l) as Record<string, unknown>;
    if (test(e)) return e;
  }
  throw new Error('examples/audit.log lacks the event the hostile fixtures start from');
}

function objectRef(e: Record<string, unknown>): Record<string, unknown> {
  return (e.objectRef ?? {}) as Record<string, unknown>;
}

/**
 * Two events of the example log turned hostile, stamped `at`: an exec into a pod (the
 * user name, pod name, command, user agent and annotations carry markup, and the rule's
 * output repeats several) and a privileged pod whose request body carries it.
 */
export function hostileLines(lines: readonly string[], at: Date): string[] {
  const stamp = at.toISOString().replace('Z', '000Z');
  const exec = structuredClone(
    findEvent(lines, (e) => objectRef(e).subresource === 'exec' && e.stage === 'ResponseStarted'),
  );
  exec.auditID = randomUUID();
  exec.user = { username: PLANTED.img, groups: ['system:authenticated'] };
  exec.userAgent = PLANTED.script;
  exec.objectRef = { ...objectRef(exec), name: PLANTED.svg };
  exec.requestURI = `/api/v1/namespaces/shop/pods/x/exec?command=${encodeURIComponent(PLANTED.script)}&container=${encodeURIComponent(PLANTED.link)}`;
  exec.annotations = { ...(exec.annotations as object), 'planted.example/html': PLANTED.img };
  exec.requestReceivedTimestamp = stamp;
  exec.stageTimestamp = stamp;

  const pod = structuredClone(
    findEvent(lines, (e) => {
      const req = e.requestObject as
        | { spec?: { containers?: { securityContext?: { privileged?: boolean } }[] } }
        | undefined;
      return (
        e.stage === 'ResponseComplete' &&
        e.verb === 'create' &&
        req?.spec?.containers?.[0]?.securityContext?.privileged === true
      );
    }),
  );
  pod.auditID = randomUUID();
  const req = pod.requestObject as {
    metadata: Record<string, unknown>;
    spec: { containers: Record<string, unknown>[] };
  };
  req.metadata.annotations = { note: PLANTED.script, link: PLANTED.link };
  (req.spec.containers[0] as Record<string, unknown>).command = ['sh', '-c', PLANTED.img];
  pod.user = { username: PLANTED.script, groups: ['system:authenticated'] };
  pod.requestReceivedTimestamp = stamp;
  pod.stageTimestamp = stamp;
  return [JSON.stringify(exec), JSON.stringify(pod)];
}

/** A plain event that fires a rule at `at`, for live-update tests: a shell into a pod. */
export function liveLine(lines: readonly string[], at: Date, podName: string): string {
  const stamp = at.toISOString().replace('Z', '000Z');
  const exec = structuredClone(
    findEvent(lines, (e) => objectRef(e).subresource === 'exec' && e.stage === 'ResponseStarted'),
  );
  exec.auditID = randomUUID();
  exec.objectRef = { ...objectRef(exec), name: podName };
  exec.requestReceivedTimestamp = stamp;
  exec.stageTimestamp = stamp;
  return JSON.stringify(exec);
}
