import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The browser session cookie: `v1.<token fingerprint>.<expiry s>.<HMAC>`. It names the
 * token by an HMAC fingerprint (never the token itself), so a token removed from the
 * token file ends its sessions; the signature keeps anyone from forging one. Stateless:
 * replicas that share the secret (the data directory's `session.key`) share sessions.
 */
export interface SessionCodec {
  /** A signed cookie value for a token's fingerprint. */
  issue(fingerprint: string, nowMs?: number): string;
  /** The fingerprint of a valid, unexpired, not logged-out cookie value. */
  verify(value: string, nowMs?: number): string | undefined;
  /** Ends a session before its expiry (this process only). */
  revoke(value: string, nowMs?: number): void;
}

export const SESSION_COOKIE = 'kaudit_session';
export const SESSION_TTL_MS = 7 * 24 * 3600 * 1000;
/** Logged-out sessions remembered until they expire; past this the oldest are forgotten. */
const REVOKED_MAX = 10_000;
const SECRET_FILE = 'session.key';

/** The data directory's session secret, created (32 random bytes, mode 0600) when missing. */
export function loadOrCreateSessionSecret(dataDir: string): Buffer {
  const file = join(dataDir, SECRET_FILE);
  try {
    const s = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
    if (s.length >= 32) return s;
  } catch {
    // Missing: made below.
  }
  const secret = randomBytes(32);
  writeFileSync(file, `${secret.toString('base64url')}\n`, { mode: 0o600, flag: 'w' });
  chmodSync(file, 0o600);
  return secret;
}

export function createSessionCodec(secret: Buffer, ttlMs = SESSION_TTL_MS): SessionCodec {
  const sign = (payload: string) => createHmac('sha256', secret).update(payload).digest();
  const revoked = new Map<string, number>();
  return {
    issue(fp, nowMs = Date.now()) {
      const payload = `v1.${fp}.${Math.floor((nowMs + ttlMs) / 1000)}`;
      return `${payload}.${sign(payload).toString('base64url')}`;
    },
    verify(value, nowMs = Date.now()) {
      const parts = value.split('.');
      if (parts.length !== 4 || parts[0] !== 'v1' || value.length > 200) return undefined;
      const [, fp, exp, sig] = parts as [string, string, string, string];
      const given = Buffer.from(sig, 'base64url');
      const want = sign(`v1.${fp}.${exp}`);
      if (given.length !== want.length || !timingSafeEqual(given, want)) return undefined;
      if (!/^\d{1,12}$/.test(exp) || Number(exp) * 1000 <= nowMs) return undefined;
      if (revoked.has(sig)) return undefined;
      return fp;
    },
    revoke(value, nowMs = Date.now()) {
      const parts = value.split('.');
      const sig = parts[3];
      if (sig === undefined) return;
      if (revoked.size >= REVOKED_MAX) revoked.delete(revoked.keys().next().value as string);
      revoked.set(sig, Number(parts[2]) * 1000);
      for (const [k, exp] of revoked) if (exp <= nowMs) revoked.delete(k);
    },
  };
}
