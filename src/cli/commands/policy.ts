import { type Command, Option } from 'commander';
import type { PolicyRequest } from '../../policy/checker.ts';
import type { CoverageInput } from '../../policy/coverage.ts';
import {
  checkCoverage,
  countFindings,
  countRejected,
  createLogReadStats,
  evaluatePolicy,
  formatCoverage,
  formatDecision,
  formatFindings,
  formatReadMessages,
  formatSimulation,
  generatePolicy,
  lintPolicy,
  type Policy,
  PROFILES,
  type Profile,
  type ReadPolicyResult,
  readAuditLogs,
  readPolicy,
  readPolicyFile,
  readResultToJSON,
  renderPolicyYaml,
  simulatePolicy,
} from '../../policy/index.ts';
import { CliError, EXIT_FAIL, EXIT_USAGE, runExitCode } from '../errors.ts';

/** Where policy commands write; defaults to the process streams. */
export interface PolicyCommandIo {
  readonly stdout: { write(s: string): unknown };
  readonly stderr: { write(s: string): unknown };
  /** Sets the exit code of a run that ends without an error (a partial simulate). */
  setExitCode?(code: number): void;
}

type Format = 'text' | 'json';
const formatOption = (): Option =>
  new Option('--format <format>', 'output format').choices(['text', 'json']).default('text');

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function json(v: unknown): string {
  return `${JSON.stringify(v, null, 2)}\n`;
}

/** Reads and validates a policy; prints its messages; throws (exit 1) when it does not load. */
async function loadPolicy(
  path: string,
  io: PolicyCommandIo,
  quiet = false,
): Promise<ReadPolicyResult & { policy: Policy }> {
  const r = await readPolicyFile(path);
  if (!quiet || !r.ok) io.stderr.write(formatReadMessages(r));
  if (!r.ok || r.policy === undefined) {
    throw new CliError(`${path}: invalid audit policy (${r.errors.length} error(s))`, EXIT_FAIL);
  }
  return r as ReadPolicyResult & { policy: Policy };
}

async function loadCoverageInputs(
  paths: readonly string[] | undefined,
  io: PolicyCommandIo,
): Promise<CoverageInput[]> {
  // Loaded lazily: the rules compiler is only needed by coverage and generate.
  const { loadRuleset } = await import('../../rules/index.ts');
  const { toCoverageInputs } = await import('../../policy/rules-input.ts');
  const { requireLoaded } = await import('../report.ts');
  const result = requireLoaded(
    await loadRuleset(paths && paths.length > 0 ? { rules: paths } : {}),
    io.stderr as NodeJS.WritableStream,
  );
  return toCoverageInputs(result.rules);
}

interface CheckOpts {
  readonly user?: string;
  readonly group?: string[];
  readonly verb: string;
  readonly resource?: string;
  readonly apiGroup?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly path?: string;
  readonly format: Format;
}

function requestFromOptions(o: CheckOpts): PolicyRequest {
  if ((o.resource === undefined) === (o.path === undefined)) {
    throw new CliError('give either --resource R[/sub] or --path /url', EXIT_USAGE);
  }
  const user =
    o.user === undefined && o.group === undefined
      ? {}
      : { user: { name: o.user ?? '', groups: o.group ?? [] } };
  if (o.path !== undefined)
    return { ...user, verb: o.verb, isResourceRequest: false, path: o.path };
  const [resource = '', subresource = ''] = (o.resource ?? '').split('/');
  return {
    ...user,
    verb: o.verb,
    isResourceRequest: true,
    resource,
    subresource,
    apiGroup: o.apiGroup ?? '',
    namespace: o.namespace ?? '',
    name: o.name ?? '',
  };
}

function registerValidate(policy: Command, io: PolicyCommandIo): void {
  policy
    .command('validate')
    .description(
      'read and validate a policy as the apiserver does (audit.k8s.io/v1, strict then lenient decoding)',
    )
    .argument('<policy>', 'audit policy file (YAML or JSON)')
    .addOption(formatOption())
    .addHelpText(
      'after',
      '\nExamples:\n  $ kaudit policy validate audit-policy.yaml\n  $ kaudit policy validate --format json audit-policy.yaml',
    )
    .action(async (path: string, o: { format: Format }) => {
      const r = await readPolicyFile(path);
      if (o.format === 'json') io.stdout.write(json(readResultToJSON(r)));
      else {
        io.stderr.write(formatReadMessages(r));
        if (r.ok)
          io.stdout.write(`${path}: valid audit policy, ${r.policy?.rules.length} rule(s)\n`);
      }
      if (!r.ok)
        throw new CliError(
          `${path}: invalid audit policy (${r.errors.length} error(s))`,
          EXIT_FAIL,
        );
    });
}

function registerCheck(policy: Command, io: PolicyCommandIo): void {
  policy
    .command('check')
    .description(
      'show which rule matches a request, its level and stages, and why earlier rules did not',
    )
    .argument('<policy>', 'audit policy file')
    .option('--user <name>', 'user name')
    .option('--group <group>', 'user group (repeatable)', collect)
    .requiredOption('--verb <verb>', 'request verb (get, list, create, …)')
    .option('--resource <resource>', 'resource, optionally with subresource: pods or pods/exec')
    .option('--api-group <group>', 'API group ("" is core)')
    .option('--namespace <ns>', 'namespace')
    .option('--name <name>', 'object name')
    .option('--path <url>', 'URL path of a non-resource request, e.g. /healthz')
    .addOption(formatOption())
    .addHelpText(
      'after',
      '\nExamples:\n  $ kaudit policy check audit-policy.yaml --user alice --group dev --verb get --resource secrets --namespace default\n  $ kaudit policy check audit-policy.yaml --verb create --resource pods/exec --namespace prod\n  $ kaudit policy check audit-policy.yaml --verb get --path /healthz --format json',
    )
    .action(async (path: string, o: CheckOpts) => {
      const req = requestFromOptions(o);
      const { policy: p } = await loadPolicy(path, io, true);
      const d = evaluatePolicy(p, req);
      io.stdout.write(
        o.format === 'json' ? json({ request: req, ...d }) : formatDecision(p, req, d),
      );
    });
}

function registerLint(policy: Command, io: PolicyCommandIo): void {
  policy
    .command('lint')
    .description(
      'find shadowed rules, wrong API groups, leaked secrets, volume problems (codes in docs/policy.md)',
    )
    .argument('<policy>', 'audit policy file')
    .addOption(formatOption())
    .addHelpText(
      'after',
      '\nExamples:\n  $ kaudit policy lint audit-policy.yaml\n  $ kaudit policy lint --format json audit-policy.yaml | jq ".findings[].code"\nExit status 1 when a finding has severity error.',
    )
    .action(async (path: string, o: { format: Format }) => {
      const r = await loadPolicy(path, io);
      const findings = lintPolicy({ policy: r.policy, positions: r.positions, file: path });
      const counts = countFindings(findings);
      io.stdout.write(
        o.format === 'json' ? json({ file: path, counts, findings }) : formatFindings(findings),
      );
      if (counts.error > 0) throw new CliError(`${path}: ${counts.error} lint error(s)`, EXIT_FAIL);
    });
}

function registerSimulate(policy: Command, io: PolicyCommandIo): void {
  policy
    .command('simulate')
    .description(
      're-level a recorded audit log under a policy: events and bytes per level and rule, per day',
    )
    .argument('<policy>', 'audit policy file')
    .argument(
      '<logs...>',
      'audit log files or directories (JSON lines of Event/EventList), - for stdin',
    )
    .addOption(formatOption())
    .option('--top <n>', 'how many top users/resources to show', (v) => Number.parseInt(v, 10), 10)
    .addHelpText(
      'after',
      '\nExamples:\n  $ kaudit policy simulate new-policy.yaml /var/log/kubernetes/audit.log\n  $ kaudit policy simulate --format json new-policy.yaml audit-*.log',
    )
    .action(async (path: string, logs: string[], o: { format: Format; top: number }) => {
      const { policy: p } = await loadPolicy(path, io, true);
      const stats = createLogReadStats();
      const onInputError = (err: Error): void => {
        io.stderr.write(`kaudit: ${err.message}\n`);
      };
      const report = await simulatePolicy(p, readAuditLogs(logs, stats, onInputError), {
        top: o.top,
      });
      const rejected = countRejected(stats);
      const f = stats.firstReject;
      if (rejected > 0 && f !== undefined) {
        io.stderr.write(
          `${f.origin}:${f.line}: skipped ${rejected} line(s) (first: ${f.reason}: ${f.message})\n`,
        );
      }
      io.stdout.write(
        o.format === 'json'
          ? json({ ...report, rejectedLines: rejected, unreadableInputs: stats.unreadable.length })
          : formatSimulation(report),
      );
      io.setExitCode?.(
        runExitCode({ unreadable: stats.unreadable.length, lines: stats.decode.lines }),
      );
    });
}

function registerCoverage(policy: Command, io: PolicyCommandIo): void {
  policy
    .command('coverage')
    .description(
      'check that the policy logs what each detection rule reads, at the detail its fields need',
    )
    .argument('<policy>', 'audit policy file')
    .option(
      '-r, --rules <path>',
      'rules file or directory (repeatable; default: the built-in ruleset)',
      collect,
    )
    .addOption(formatOption())
    .addHelpText(
      'after',
      '\nExamples:\n  $ kaudit policy coverage audit-policy.yaml\n  $ kaudit policy coverage audit-policy.yaml --rules k8s_audit_rules.yaml --format json\nExit status 1 when a rule is starved.',
    )
    .action(async (path: string, o: { rules?: string[]; format: Format }) => {
      const { policy: p } = await loadPolicy(path, io, true);
      const inputs = await loadCoverageInputs(o.rules, io);
      const result = checkCoverage(p, inputs);
      const starved = result.filter((c) => !c.covered);
      io.stdout.write(
        o.format === 'json'
          ? json({ rules: result.length, starved: starved.length, coverage: result })
          : formatCoverage(result, p),
      );
      if (starved.length > 0)
        throw new CliError(`${starved.length} rule(s) starved by ${path}`, EXIT_FAIL);
    });
}

function registerGenerate(policy: Command, io: PolicyCommandIo): void {
  policy
    .command('generate')
    .description('write a policy that logs what the rules need and little more (stdout)')
    .addOption(
      new Option('--profile <profile>', 'how much beyond the rules to log')
        .choices([...PROFILES])
        .default('recommended'),
    )
    .option(
      '-r, --rules <path>',
      'rules file or directory (repeatable; default: the built-in ruleset)',
      collect,
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ kaudit policy generate > audit-policy.yaml\n  $ kaudit policy generate --profile minimal --rules k8s_audit_rules.yaml\n  $ kaudit policy generate --profile forensic | kaudit policy lint /dev/stdin',
    )
    .action(async (o: { profile: Profile; rules?: string[] }) => {
      const inputs = await loadCoverageInputs(o.rules, io);
      const text = renderPolicyYaml(generatePolicy(o.profile, inputs));
      // Never hand out a policy the apiserver would refuse.
      const check = readPolicy(text, '<generated>');
      if (!check.ok)
        throw new CliError(
          `internal: generated policy is invalid: ${check.errors[0]?.message}`,
          EXIT_FAIL,
        );
      io.stdout.write(text);
    });
}

/**
 * `kaudit policy …`: validate, check, lint, simulate, coverage, generate. Failures throw
 * CliError (exit 1 for an invalid policy, lint errors or starved rules; 2 for usage).
 */
export function registerPolicyCommand(program: Command, io: PolicyCommandIo = process): void {
  const policy = program
    .command('policy')
    .description('validate, check, lint, simulate, cover and generate audit Policies')
    .addHelpText(
      'after',
      '\nExamples:\n  $ kaudit policy validate audit-policy.yaml\n  $ kaudit policy lint audit-policy.yaml\n  $ kaudit policy check audit-policy.yaml --verb get --resource secrets --namespace default\n  $ kaudit policy simulate audit-policy.yaml audit.log\n  $ kaudit policy coverage audit-policy.yaml\n  $ kaudit policy generate --profile minimal',
    );
  registerValidate(policy, io);
  registerCheck(policy, io);
  registerLint(policy, io);
  registerSimulate(policy, io);
  registerCoverage(policy, io);
  registerGenerate(policy, io);
  for (const c of policy.commands) c.exitOverride();
}
