import {
  ALNUM,
  ALNUM_DASH,
  ALNUM_UNDERSCORE,
  ALPHA,
  B64,
  B64URL,
  B64URL_DOT,
  BECH32_UPPER,
  type Charset,
  HEX,
  HEX_LOWER,
  UPPER_ALNUM,
  URL_PATH,
} from './charsets.ts';

/**
 * A credential format that starts with a fixed, documented prefix: the prefix, then a run
 * of `body` characters whose length is in [min, max], with no letter or digit right
 * before the prefix and no `body` character right after the run.
 */
export interface TokenFormat {
  readonly kind: string;
  readonly prefixes: readonly string[];
  readonly body: Charset;
  readonly min: number;
  readonly max: number;
  /** A further test on the body (the characters after the prefix). */
  readonly check?: (body: string) => boolean;
  /** Text that must also occur somewhere in the scanned value (e.g. `sv=` for a SAS). */
  readonly context?: string;
}

const fmt = (
  kind: string,
  prefixes: readonly string[],
  body: Charset,
  min: number,
  max = min,
  more: Pick<TokenFormat, 'check' | 'context'> = {},
): TokenFormat => ({ kind, prefixes, body, min, max, ...more });

/**
 * The prefixed token formats, from the issuers' own documentation of their token formats
 * (facts cross-checked against the MIT-licensed gitleaks and secretlint catalogues; no
 * pattern text is taken from them). Maximum lengths are kept at or below 500 characters:
 * a candidate costs at most `max` character tests, which bounds a scan's time on hostile
 * input (see find-tokens.ts).
 */
export const TOKEN_FORMATS: readonly TokenFormat[] = [
  // Cloud providers.
  fmt('aws-access-key-id', ['AKIA', 'ASIA', 'ABIA', 'ACCA'], UPPER_ALNUM, 16),
  fmt('gcp-api-key', ['AIza'], B64URL, 35),
  fmt('azure-storage-key', ['AccountKey='], B64, 86, 88),
  fmt('azure-shared-access-key', ['SharedAccessKey='], B64, 43, 44),
  fmt('azure-sas-token', ['sig='], charsetSas(), 43, 120, { context: 'sv=' }),
  fmt('digitalocean-token', ['dop_v1_', 'doo_v1_', 'dor_v1_'], HEX_LOWER, 64),
  // Source hosting.
  fmt('github-token', ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'], ALNUM, 36, 251),
  fmt('github-token', ['github_pat_'], ALNUM_UNDERSCORE, 59, 244),
  fmt(
    'gitlab-token',
    ['glpat-', 'gldt-', 'glft-', 'glsoat-', 'gloas-', 'glimt-', 'glagent-', 'glffct-'],
    B64URL_DOT,
    20,
    255,
  ),
  fmt('bitbucket-app-password', ['ATBB'], ALNUM, 28, 40),
  fmt('atlassian-api-token', ['ATATT3', 'ATCTT3'], charsetAtlassian(), 100, 300),
  // CI systems.
  fmt('gitlab-runner-token', ['glrt-', 'GR1348941'], B64URL_DOT, 20, 255),
  fmt('gitlab-ci-token', ['glcbt-', 'glptt-'], B64URL_DOT, 20, 255),
  fmt('circleci-token', ['CCIPAT_', 'CCIPRJ_'], ALNUM_UNDERSCORE, 30, 100),
  fmt('buildkite-token', ['bkua_'], HEX_LOWER, 40),
  // Chat.
  fmt(
    'slack-token',
    ['xoxb-', 'xoxp-', 'xoxa-', 'xoxr-', 'xoxs-', 'xoxo-', 'xoxe-', 'xoxe.xoxp-', 'xapp-'],
    ALNUM_DASH,
    20,
    250,
  ),
  fmt(
    'slack-webhook',
    ['hooks.slack.com/services/', 'hooks.slack.com/workflows/', 'hooks.slack.com/triggers/'],
    URL_PATH,
    20,
    150,
    { check: (b) => b.includes('/') },
  ),
  fmt(
    'discord-webhook',
    ['discord.com/api/webhooks/', 'discordapp.com/api/webhooks/'],
    URL_PATH,
    60,
    120,
    { check: (b) => b.includes('/') },
  ),
  // Payments and messaging APIs.
  fmt('stripe-key', ['sk_live_', 'sk_test_', 'rk_live_', 'rk_test_'], ALNUM, 24, 247),
  fmt('stripe-webhook-secret', ['whsec_'], ALNUM, 32, 64),
  fmt('twilio-api-key', ['SK'], HEX, 32),
  fmt('sendgrid-key', ['SG.'], B64URL_DOT, 66, 66, { check: (b) => b[22] === '.' }),
  fmt('mailgun-key', ['key-'], HEX_LOWER, 32),
  // Package registries.
  fmt('npm-token', ['npm_'], ALNUM, 36),
  fmt('pypi-token', ['pypi-AgEIcHlwaS5vcmc', 'pypi-AgENdGVzdC5weXBpLm9yZw'], B64URL, 50, 500),
  fmt('docker-hub-token', ['dckr_pat_'], B64URL, 27, 40),
  // AI and developer platforms.
  fmt('openai-api-key', ['sk-proj-', 'sk-svcacct-', 'sk-admin-'], B64URL, 40, 250),
  fmt('openai-api-key', ['sk-'], ALNUM, 48, 48, { check: (b) => b.includes('T3BlbkFJ') }),
  fmt('anthropic-api-key', ['sk-ant-api03-', 'sk-ant-admin01-'], B64URL, 80, 130),
  fmt('huggingface-token', ['hf_'], ALPHA, 34),
  fmt('hashicorp-vault-token', ['hvs.'], B64URL, 90, 120),
  fmt('hashicorp-vault-token', ['hvb.'], B64URL, 138, 300),
  fmt('shopify-token', ['shpat_', 'shpca_', 'shppa_', 'shpss_'], HEX, 32),
  fmt('grafana-token', ['glsa_'], ALNUM_UNDERSCORE, 41),
  fmt('grafana-token', ['glc_'], B64, 32, 400),
  fmt('databricks-token', ['dapi'], HEX_LOWER, 32),
  fmt('doppler-token', ['dp.pt.', 'dp.st.', 'dp.sa.', 'dp.ct.'], ALNUM, 40, 44),
  fmt('new-relic-key', ['NRAK-'], UPPER_ALNUM, 27),
  fmt('linear-api-key', ['lin_api_'], ALNUM, 40),
  fmt('pulumi-token', ['pul-'], HEX_LOWER, 40),
  fmt('sentry-token', ['sntryu_'], HEX_LOWER, 64),
  fmt('age-secret-key', ['AGE-SECRET-KEY-1'], BECH32_UPPER, 58),
];

// A SAS signature is URL-encoded base64: %2B, %2F and %3D appear in it.
function charsetSas(): Charset {
  const t = new Uint8Array(B64);
  t['%'.charCodeAt(0)] = 1;
  return t;
}

function charsetAtlassian(): Charset {
  const t = new Uint8Array(B64URL);
  t['='.charCodeAt(0)] = 1;
  return t;
}
