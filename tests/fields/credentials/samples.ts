/**
 * Credential samples for the scanner's tests, built at run time from a seeded generator
 * (no real credential is in this repository): one or more per kind, and harmless values
 * of the kinds real objects are full of.
 */
let seed = 7;
function next(): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}

export const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const HEX_LOWER = '0123456789abcdef';

/** `n` characters drawn from `alphabet`. */
export function rnd(n: number, alphabet = B62): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(next() * alphabet.length)];
  return s;
}

export const b64 = (s: string): string => Buffer.from(s).toString('base64');
const b64url = (s: string): string => Buffer.from(s).toString('base64url');

export function jwt(): string {
  const head = b64url('{"alg":"RS256","typ":"JWT"}');
  const body = b64url('{"iss":"kubernetes/serviceaccount","sub":"system:serviceaccount:a:b"}');
  return `${head}.${body}.${rnd(86, `${B62}-_`)}`;
}

export const PEM_KEY = `-----BEGIN EC PRIVATE KEY-----\n${rnd(64, `${B62}+/`)}\n${rnd(40, `${B62}+/`)}==\n-----END EC PRIVATE KEY-----\n`;
export const PEM_CERT = `-----BEGIN CERTIFICATE-----\n${rnd(64, `${B62}+/`)}\n${rnd(64, `${B62}+/`)}\n-----END CERTIFICATE-----\n`;

/** A value in the text of a configmap entry, under a key that names no credential. */
export interface Sample {
  readonly kind: string;
  readonly value: string;
  /** The key the value is stored under; default `CONFIG`. */
  readonly key?: string;
}

export const SAMPLES: readonly Sample[] = [
  { kind: 'aws-access-key-id', value: `AKIA${rnd(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}` },
  {
    kind: 'aws-access-key-id',
    value: `export AWS_ACCESS_KEY_ID=ASIA${rnd(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`,
  },
  { kind: 'aws-secret-access-key', key: 'AWS_SECRET_ACCESS_KEY', value: rnd(40, `${B62}+/`) },
  {
    kind: 'aws-secret-access-key',
    value: `[default]\naws_secret_access_key = ${rnd(40, `${B62}+/`)}\n`,
  },
  { kind: 'gcp-api-key', value: `AIza${rnd(35, `${B62}-_`)}` },
  {
    kind: 'gcp-service-account-key',
    value: `{\n  "type": "service_account",\n  "project_id": "p",\n  "private_key": "${PEM_KEY.replaceAll('\n', '\\n')}",\n  "client_email": "a@p.iam.gserviceaccount.com"\n} trailing text`,
  },
  {
    kind: 'azure-storage-key',
    value: `DefaultEndpointsProtocol=https;AccountName=shop;AccountKey=${rnd(86, `${B62}+/`)}==;EndpointSuffix=core.windows.net`,
  },
  {
    kind: 'azure-shared-access-key',
    value: `Endpoint=sb://shop.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=${rnd(43, `${B62}+/`)}=`,
  },
  {
    kind: 'azure-sas-token',
    value: `https://shop.blob.core.windows.net/c?sv=2022-11-02&ss=b&sp=r&se=2026-01-01&sig=${rnd(43, B62)}%3D`,
  },
  { kind: 'azure-ad-client-secret', value: `${rnd(3, B62)}8Q~${rnd(34, `${B62}_~.-`)}` },
  { kind: 'digitalocean-token', value: `dop_v1_${rnd(64, HEX_LOWER)}` },
  { kind: 'github-token', value: `ghp_${rnd(36)}` },
  { kind: 'github-token', value: `https://x-access-token:ghs_${rnd(36)}@github.com/acme/repo.git` },
  { kind: 'github-token', value: `github_pat_${rnd(22)}_${rnd(59)}` },
  { kind: 'gitlab-token', value: `glpat-${rnd(20, `${B62}-_`)}` },
  { kind: 'gitlab-runner-token', value: `glrt-${rnd(20, `${B62}-_`)}` },
  { kind: 'gitlab-ci-token', value: `glptt-${rnd(40, HEX_LOWER)}` },
  { kind: 'bitbucket-app-password', value: `ATBB${rnd(32)}` },
  { kind: 'atlassian-api-token', value: `ATATT3${rnd(180, `${B62}-_=`)}` },
  { kind: 'circleci-token', value: `CCIPAT_${rnd(22)}_${rnd(40, HEX_LOWER)}` },
  { kind: 'buildkite-token', value: `bkua_${rnd(40, HEX_LOWER)}` },
  {
    kind: 'slack-token',
    value: `xoxb-${rnd(12, '0123456789')}-${rnd(13, '0123456789')}-${rnd(24)}`,
  },
  {
    kind: 'slack-webhook',
    value: `https://hooks.slack.com/services/T${rnd(10)}/B${rnd(10)}/${rnd(24)}`,
  },
  {
    kind: 'discord-webhook',
    value: `https://discord.com/api/webhooks/${rnd(19, '0123456789')}/${rnd(68, `${B62}-_`)}`,
  },
  {
    kind: 'discord-bot-token',
    key: 'DISCORD_TOKEN',
    value: `M${rnd(25, `${B62}-_`)}.${rnd(6, `${B62}-_`)}.${rnd(38, `${B62}-_`)}`,
  },
  { kind: 'telegram-bot-token', value: `bot 123456789:AA${rnd(33, `${B62}-_`)}` },
  { kind: 'stripe-key', value: `sk_live_${rnd(24)}` },
  { kind: 'stripe-webhook-secret', value: `whsec_${rnd(32)}` },
  { kind: 'twilio-api-key', value: `SK${rnd(32, HEX_LOWER)}` },
  { kind: 'sendgrid-key', value: `SG.${rnd(22, `${B62}-_`)}.${rnd(43, `${B62}-_`)}` },
  { kind: 'mailgun-key', value: `key-${rnd(32, HEX_LOWER)}` },
  { kind: 'npm-token', value: `//registry.npmjs.org/:_authToken=npm_${rnd(36)}` },
  { kind: 'pypi-token', value: `pypi-AgEIcHlwaS5vcmc${rnd(120, `${B62}-_`)}` },
  { kind: 'docker-hub-token', value: `dckr_pat_${rnd(27, `${B62}-_`)}` },
  { kind: 'openai-api-key', value: `sk-proj-${rnd(120, `${B62}-_`)}` },
  { kind: 'openai-api-key', value: `sk-${rnd(20)}T3BlbkFJ${rnd(20)}` },
  { kind: 'anthropic-api-key', value: `sk-ant-api03-${rnd(93, `${B62}-_`)}AA` },
  {
    kind: 'huggingface-token',
    value: `hf_${rnd(34, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ')}`,
  },
  { kind: 'hashicorp-vault-token', value: `hvs.${rnd(94, `${B62}-_`)}` },
  { kind: 'shopify-token', value: `shpat_${rnd(32, HEX_LOWER)}` },
  { kind: 'grafana-token', value: `glsa_${rnd(32)}_${rnd(8, HEX_LOWER)}` },
  { kind: 'databricks-token', value: `dapi${rnd(32, HEX_LOWER)}` },
  { kind: 'doppler-token', value: `dp.pt.${rnd(43)}` },
  { kind: 'new-relic-key', value: `NRAK-${rnd(27, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}` },
  { kind: 'linear-api-key', value: `lin_api_${rnd(40)}` },
  { kind: 'pulumi-token', value: `pul-${rnd(40, HEX_LOWER)}` },
  { kind: 'sentry-token', value: `sntryu_${rnd(64, HEX_LOWER)}` },
  {
    kind: 'age-secret-key',
    value: `AGE-SECRET-KEY-1${rnd(58, 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L')}`,
  },
  {
    kind: 'kubernetes-bootstrap-token',
    value: `${rnd(6, 'abcdefghijklmnopqrstuvwxyz0123456789')}.${rnd(14, 'abcdefghij')}7q`,
  },
  { kind: 'private-key', value: PEM_KEY },
  {
    kind: 'private-key',
    value: `users:\n- name: admin\n  user:\n    client-key-data: ${b64(PEM_KEY)}\n`,
  },
  { kind: 'jwt', value: jwt() },
  { kind: 'password-in-url', value: 'postgres://shop:S3cure-pw@db.shop:5432/shop?sslmode=require' },
  { kind: 'password-in-url', value: 'app:s3cret@tcp(mysql:3306)/app?parseTime=true' },
  { kind: 'password', key: 'DB_PASSWORD', value: 'hunter22' },
  { kind: 'password', value: 'spring.datasource.password=Winter2026!\nserver.port=8080\n' },
  { kind: 'password', value: '{"auths": 1, "Password": "Pa55w0rd"} x' },
  { kind: 'password', value: 'Server=db;User ID=sa;Password=Tr0ub4dor&3;' },
  { kind: 'secret', key: 'client_secret', value: rnd(32, `${B62}-_`) },
  { kind: 'secret', value: `SECRET_KEY_BASE: "${rnd(48, HEX_LOWER)}"` },
  { kind: 'secret', value: `api_key = ${rnd(32, HEX_LOWER)}` },
  { kind: 'secret', key: 'Authorization', value: `Bearer ${rnd(40, `${B62}-_`)}` },
  { kind: 'secret', value: `curl -H "Authorization: Bearer ${rnd(40, `${B62}-_`)}" https://api` },
  { kind: 'high-entropy', value: 'Zq8Kp2Lm9Xr4Tn7Vb1Wc5Yd3Qe6R' },
];

/** Values real objects hold that are no credential, with the key they come under. */
export const HARMLESS: readonly (readonly [string, string])[] = [
  ['LOG_LEVEL', 'info'],
  ['PASSWORD_MIN_LENGTH', '12'],
  ['password_file', '/run/secrets/db/password'],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell placeholder is the data
  ['DB_PASSWORD', '${DB_PASSWORD}'],
  ['DB_PASSWORD', '{{ .Values.db.password }}'],
  ['password', '<your password here>'],
  ['password', '********'],
  ['password', ''],
  ['token', 'true'],
  ['apiKey', 'API_KEY'],
  ['apiKey', 'spec.auth.apiKey'],
  ['secretName', 'shop-tls'],
  ['existingSecret', 'db-credentials'],
  ['secretKey', 'password'],
  ['tokenSecretRef', 'vault-token'],
  ['token_ttl', '3600'],
  ['TOKEN_URL', 'https://auth.example.com/oauth/token'],
  ['client_secret', 'db-password-v2'],
  ['auth', 'enabled'],
  ['uid', '0b7c2f1e-3d4a-4b5c-8d9e-0f1a2b3c4d5e'],
  ['pod-template-hash', '7d9c8b6f5'],
  ['image', `ghcr.io/acme/api@sha256:${rnd(64, HEX_LOWER)}`],
  ['image', 'registry.example.com:5000/shop/web:1.5.0'],
  ['commit', rnd(40, HEX_LOWER)],
  ['checksum/config', rnd(64, HEX_LOWER)],
  ['integrity', `sha512-${rnd(86, `${B62}+/`)}==`],
  ['className', 'KubernetesDashboardV2Beta1Api'],
  ['class', 'com.example.shop.OrderServiceApplication'],
  ['motd', b64('Welcome to the shop cluster, have a nice day')],
  ['ca.crt', PEM_CERT],
  ['caBundle', b64(PEM_CERT)],
  ['url', 'https://shop.example.com/api/v1/orders?limit=500&token_type=bearer'],
  ['url', 'ssh://git@github.com/acme/shop.git'],
  ['url', 'postgres://db.shop:5432/shop'],
  ['url', 'https://user@example.com/'],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell placeholder is the data
  ['dsn', 'postgres://shop:${DB_PASSWORD}@db:5432/shop'],
  ['time', '2026-03-02T10:20:00.406766Z'],
  ['ip', '10.244.2.17'],
  ['description', 'Set password and token in the Secret named shop-db, never here.'],
  ['script', 'if [ -z "$TOKEN" ]; then echo "missing token"; exit 1; fi'],
  [
    'jws-kubeconfig-abcdef',
    `${b64('{"alg":"HS256","kid":"abcdef"}').replaceAll('=', '')}..${rnd(43, `${B62}-_`)}`,
  ],
  ['resourceVersion', '1234567'],
  ['nodeName', 'ip-10-0-1-23.eu-west-1.compute.internal'],
  ['AKIA-lookalike', 'AKIAEXAMPLEEXAMPLEEXA'],
  ['ghp-lookalike', `ghp_${'abcdefghij'.repeat(3)}abcde`],
  [
    'config.yaml',
    'storage:\n  bucket: AKIA-docs\n  secret_name: s3-creds\n  password_policy: strict\n',
  ],
];
