/** What a key name says its value is: a password, another secret, or neither. */
export interface CredentialKey {
  readonly category: 'password' | 'secret';
  /** The key names an AWS secret access key (`AWS_SECRET_ACCESS_KEY`, `secretAccessKey`). */
  readonly aws: boolean;
}

const PASSWORD_WORDS = new Set(['password', 'passwd', 'passphrase', 'pwd', 'pass', 'passwort']);
const SECRET_WORDS = new Set([
  'secret',
  'token',
  'apikey',
  'credential',
  'credentials',
  'creds',
  'accesskey',
  'secretkey',
  'privatekey',
  'authkey',
  'masterkey',
  'auth',
  'authorization',
]);
// `key` is a credential only after one of these (`api_key`, `AWS_SECRET_ACCESS_KEY`).
const KEY_QUALIFIERS = new Set([
  'api',
  'access',
  'secret',
  'private',
  'signing',
  'encryption',
  'master',
  'account',
  'client',
  'shared',
  'storage',
  'auth',
  'license',
  'app',
  'consumer',
  'session',
  'webhook',
  'hmac',
  'jwt',
  'admin',
  'root',
]);
// A modifier that makes the key name a reference to a credential held elsewhere
// (`existingSecret`, `tlsSecret`, `imagePullSecret`), not the credential itself.
const REFERENCE_MODIFIERS = new Set([
  'existing',
  'external',
  'ref',
  'from',
  'source',
  'target',
  'use',
  'create',
  'generate',
  'auto',
  'mount',
  'vault',
  'sealed',
  'k8s',
  'kubernetes',
  'tls',
  'pull',
]);
// Generic last words after the noun that matters: `SECRET_KEY_BASE`, `password_value`.
const GENERIC_TAILS = new Set(['base', 'value', 'data', 'string', 'str']);
// File names as configmap keys: `password.txt` names its content like `password` does.
const FILE_EXTENSIONS = new Set([
  'txt',
  'json',
  'yaml',
  'yml',
  'ini',
  'conf',
  'cfg',
  'properties',
  'env',
  'toml',
]);

const MAX_KEY = 96;
// Objects repeat the same few hundred keys; classifying is a split and a few lookups.
const CACHE_SIZE = 4096;
const cache = new Map<string, CredentialKey | null>();

/**
 * Classifies a key name by its head noun, the last word (past a file extension or a
 * generic `_value`, `_data`, `_base`): `DB_PASSWORD` and
 * `spring.datasource.password` name a password; `client_secret`, `GITHUB_TOKEN`,
 * `apiKey` a secret; `PASSWORD_MIN_LENGTH`, `password_file`, `secretName`,
 * `secretKeyRef` and `existingSecret` none. Case and separators do not matter.
 */
export function classifyKey(key: string): CredentialKey | undefined {
  if (key.length === 0 || key.length > MAX_KEY) return undefined;
  const known = cache.get(key);
  if (known !== undefined) return known ?? undefined;
  const k = classifyWords(key);
  // Bounded: keys are request text. Starting over when full keeps the common ones coming back.
  if (cache.size >= CACHE_SIZE) cache.clear();
  cache.set(key, k ?? null);
  return k;
}

function classifyWords(key: string): CredentialKey | undefined {
  const words = splitWords(key);
  const last = words.at(-1);
  if (last !== undefined && FILE_EXTENSIONS.has(last) && words.length > 1) words.pop();
  while (words.length > 1 && GENERIC_TAILS.has(words.at(-1) as string)) words.pop();
  const head = words.at(-1);
  if (head === undefined) return undefined;
  const prev = words.at(-2);
  if (prev !== undefined && REFERENCE_MODIFIERS.has(prev)) return undefined;
  const aws = words.includes('aws') || (words.includes('secret') && words.includes('access'));
  if (
    PASSWORD_WORDS.has(head) ||
    head.endsWith('password') ||
    head.endsWith('passwd') ||
    head.endsWith('passphrase')
  ) {
    return { category: 'password', aws: false };
  }
  if (
    SECRET_WORDS.has(head) ||
    (head.length > 6 && (head.endsWith('secret') || head.endsWith('token'))) ||
    (head === 'key' && prev !== undefined && KEY_QUALIFIERS.has(prev))
  ) {
    return { category: 'secret', aws };
  }
  return undefined;
}

/** Lower-case words of a key: split at non-alphanumerics and camelCase humps, digits dropped. */
export function splitWords(key: string): string[] {
  const words: string[] = [];
  let cur = '';
  const flush = (): void => {
    const w = cur.replace(/\d+$/, '');
    if (w !== '') words.push(w.toLowerCase());
    cur = '';
  };
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    const upper = c >= 65 && c <= 90;
    const lower = c >= 97 && c <= 122;
    const digit = c >= 48 && c <= 57;
    if (!upper && !lower && !digit) {
      flush();
      continue;
    }
    if (upper && cur !== '') {
      const p = key.charCodeAt(i - 1);
      const prevLower = (p >= 97 && p <= 122) || (p >= 48 && p <= 57);
      const n = key.charCodeAt(i + 1);
      const nextLower = n >= 97 && n <= 122;
      // `dbPassword` → db|Password; `APIKey` → API|Key.
      if (prevLower || nextLower) flush();
    }
    cur += key[i];
  }
  flush();
  return words;
}
