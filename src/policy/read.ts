import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import { decodePolicyNode } from './decode.ts';
import { findPosition, type Policy, type PositionMap, type SourcePosition } from './types.ts';
import { formatFieldError, validatePolicy } from './validate.ts';

/** Why a policy message was raised. */
export type PolicyMessageCode =
  | 'file_read'
  | 'yaml_parse'
  | 'group_version'
  | 'kind'
  | 'decode'
  | 'strict_decoding'
  | 'lenient_fallback'
  | 'invalid'
  | 'no_rules';

/** An error or warning from reading a policy, with where it is. */
export interface PolicyMessage {
  readonly code: PolicyMessageCode;
  readonly message: string;
  readonly position: SourcePosition;
  /** The field path it is about, when there is one. */
  readonly path?: string;
}

/** The outcome of reading a policy file: the policy when ok, and every message. */
export interface ReadPolicyResult {
  readonly ok: boolean;
  readonly policy?: Policy;
  readonly errors: readonly PolicyMessage[];
  readonly warnings: readonly PolicyMessage[];
  readonly positions: PositionMap;
  readonly file: string;
}

/** The apiserver's warning when strict decoding fails on unknown/duplicate fields. */
export const LENIENT_FALLBACK_WARNING =
  'Audit policy contains errors, falling back to lenient decoding';
const GROUP_VERSION = 'audit.k8s.io/v1';

function fail(
  file: string,
  errors: PolicyMessage[],
  warnings: PolicyMessage[] = [],
  positions: PositionMap = new Map(),
): ReadPolicyResult {
  return { ok: false, errors, warnings, positions, file };
}

/**
 * Reads a policy file's text as the apiserver does: audit.k8s.io/v1 Policy only, strict
 * decoding first and lenient decoding (unknown and duplicate fields dropped, with
 * warnings) when only those fail, validation errors fatal, zero rules fatal.
 */
export function readPolicy(text: string, file = 'policy.yaml'): ReadPolicyResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
  const at = (offset: number): SourcePosition => {
    const p = lines.linePos(offset);
    return { file, line: p.line, column: p.col };
  };
  if (doc.errors.length > 0) {
    return fail(
      file,
      doc.errors.map((e) => ({ code: 'yaml_parse', message: e.message, position: at(e.pos[0]) })),
    );
  }
  const root = doc.contents;
  if (root === null) {
    const message = `unknown group version field in policy: the file is empty (want apiVersion: ${GROUP_VERSION}, kind: Policy)`;
    return fail(file, [{ code: 'group_version', message, position: at(0) }]);
  }
  const decoded = decodePolicyNode(root, file, lines, doc);
  const positions = decoded.positions;
  if (decoded.value === undefined && decoded.fatal.length > 0) {
    // Decoding stopped (an alias bomb): nothing else can be said about the file.
    return fail(
      file,
      decoded.fatal.map((d) => ({ code: 'decode', message: d.message, position: d.position })),
    );
  }
  const pos = (path: string): SourcePosition => findPosition(positions, path, file);
  const raw = (decoded.value ?? {}) as Record<string, unknown>;
  const apiVersion = raw.apiVersion as string | undefined;
  const kind = raw.kind as string | undefined;
  if (apiVersion !== GROUP_VERSION) {
    const gv = apiVersion ?? '';
    const message = `unknown group version field "${gv}" in policy: only apiVersion ${GROUP_VERSION} is supported`;
    return fail(file, [
      { code: 'group_version', message, position: pos('apiVersion'), path: 'apiVersion' },
    ]);
  }
  if (kind !== 'Policy') {
    const message =
      kind === undefined
        ? "Object 'Kind' is missing: want kind: Policy"
        : `no kind "${kind}" is registered for version "${GROUP_VERSION}": want kind: Policy`;
    return fail(file, [{ code: 'kind', message, position: pos('kind'), path: 'kind' }]);
  }
  if (decoded.fatal.length > 0) {
    const errors = decoded.fatal.map<PolicyMessage>((d) => ({
      code: 'decode',
      message: `failed decoding: ${d.message}`,
      position: d.position,
      path: d.path,
    }));
    return fail(file, errors, [], positions);
  }
  const warnings: PolicyMessage[] = [];
  if (decoded.strict.length > 0) {
    warnings.push({ code: 'lenient_fallback', message: LENIENT_FALLBACK_WARNING, position: at(0) });
    for (const s of decoded.strict) {
      warnings.push({
        code: 'strict_decoding',
        message: s.message,
        position: s.position,
        path: s.path,
      });
    }
  }
  const policy: Policy = { ...raw, rules: (raw.rules as Policy['rules'] | undefined) ?? [] };
  const invalid = validatePolicy(policy);
  if (invalid.length > 0) {
    const errors = invalid.map<PolicyMessage>((e) => ({
      code: 'invalid',
      message: formatFieldError(e),
      position: pos(e.location),
      path: e.field,
    }));
    return fail(file, errors, warnings, positions);
  }
  if (policy.rules.length === 0) {
    const message = 'loaded illegal policy with 0 rules';
    return fail(file, [{ code: 'no_rules', message, position: pos('rules') }], warnings, positions);
  }
  return { ok: true, policy, errors: [], warnings, positions, file };
}

/** Reads a policy file from disk; a read failure is an error message, never a throw. */
export async function readPolicyFile(path: string): Promise<ReadPolicyResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const message = `cannot read policy file: ${(err as Error).message}`;
    return fail(path, [
      { code: 'file_read', message, position: { file: path, line: 1, column: 1 } },
    ]);
  }
  return readPolicy(text, path);
}
