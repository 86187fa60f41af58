import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** What a token may do: `read` the API and UI, or also `admin` (delete, reload rules). */
export type Role = 'read' | 'admin';

/** A token file or variable that cannot be used; `code` says why, the message where. */
export class AuthConfigError extends Error {
  override readonly name = 'AuthConfigError';
  constructor(
    readonly code: 'bad_token_line' | 'bad_role' | 'short_token' | 'no_tokens' | 'unreadable',
    message: string,
  ) {
    super(message);
  }
}

/** The accepted tokens. Lookups compare digests in constant time and never exit early. */
export interface TokenSet {
  readonly size: number;
  /** The role of a presented token, or undefined. */
  roleOf(token: string): Role | undefined;
  /** A stable, non-reversible name of a token (for sessions): HMAC of it. */
  fingerprintOf(token: string): string;
  /** The role of a token known by its fingerprint, while that token is still accepted. */
  roleOfFingerprint(fingerprint: string): Role | undefined;
}

export interface TokenEntry {
  readonly token: string;
  readonly role: Role;
}

/** Shortest token accepted: a guessable token is no authentication. */
export const TOKEN_MIN_LENGTH = 16;

function entry(token: string, role: string, where: string): TokenEntry {
  if (role !== 'read' && role !== 'admin') {
    throw new AuthConfigError(
      'bad_role',
      `${where}: role must be admin or read, got ${JSON.stringify(role.slice(0, 32))}`,
    );
  }
  if (token.length < TOKEN_MIN_LENGTH) {
    throw new AuthConfigError(
      'short_token',
      `${where}: a token needs at least ${TOKEN_MIN_LENGTH} characters`,
    );
  }
  return { token, role };
}

/** `TOKEN ROLE` per line; `#` starts a comment; blank lines are skipped. */
export function parseTokenFile(text: string, name = 'token file'): TokenEntry[] {
  const out: TokenEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') return;
    const parts = line.split(/\s+/);
    if (parts.length !== 2) {
      throw new AuthConfigError(
        'bad_token_line',
        `${name}:${i + 1}: expected "TOKEN ROLE" (role admin or read)`,
      );
    }
    out.push(entry(parts[0] as string, parts[1] as string, `${name}:${i + 1}`));
  });
  return out;
}

/** `tok1:admin,tok2:read` (KAUDIT_API_TOKENS). */
export function parseTokenList(text: string, name = 'KAUDIT_API_TOKENS'): TokenEntry[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((item, i) => {
      const at = item.lastIndexOf(':');
      if (at <= 0) {
        throw new AuthConfigError('bad_token_line', `${name}: item ${i + 1}: expected TOKEN:ROLE`);
      }
      return entry(item.slice(0, at), item.slice(at + 1), `${name}: item ${i + 1}`);
    });
}

/**
 * Reads the tokens of a file and of an environment variable's value (either may be
 * absent). An empty result is an error: no default token exists.
 */
export function loadTokens(options: {
  readonly file?: string;
  readonly env?: string;
}): TokenEntry[] {
  const out: TokenEntry[] = [];
  if (options.file !== undefined) {
    let text: string;
    try {
      text = readFileSync(options.file, 'utf8');
    } catch (err) {
      throw new AuthConfigError('unreadable', `${options.file}: ${(err as Error).message}`);
    }
    out.push(...parseTokenFile(text, options.file));
  }
  if (options.env !== undefined && options.env.trim() !== '')
    out.push(...parseTokenList(options.env));
  if (out.length === 0) {
    throw new AuthConfigError(
      'no_tokens',
      'no API token given: use --api-token-file or KAUDIT_API_TOKENS',
    );
  }
  return out;
}

/** A random token for `npm start` (32 bytes, base64url). */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Builds the lookup; `key` keys the digests (the session secret). */
export function createTokenSet(entries: readonly TokenEntry[], key: Buffer): TokenSet {
  const digest = (t: string) => createHmac('sha256', key).update(t).digest();
  const known = entries.map((e) => ({ digest: digest(e.token), role: e.role }));
  const byDigest = (d: Buffer): Role | undefined => {
    let role: Role | undefined;
    // Every entry is compared, whatever matched: the time does not depend on the token.
    for (const k of known) {
      if (timingSafeEqual(k.digest, d) && role === undefined) role = k.role;
    }
    return role;
  };
  return {
    size: known.length,
    roleOf: (token) => byDigest(digest(token)),
    fingerprintOf: (token) => digest(token).toString('base64url'),
    roleOfFingerprint(fp) {
      const d = Buffer.from(fp, 'base64url');
      return d.length === 32 ? byDigest(d) : undefined;
    },
  };
}
