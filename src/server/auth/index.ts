export {
  type AuthInfo,
  type AuthOptions,
  CSRF_HEADER,
  registerAuth,
  requireAdmin,
} from './plugin.ts';
export {
  createSessionCodec,
  loadOrCreateSessionSecret,
  SESSION_COOKIE,
  SESSION_TTL_MS,
  type SessionCodec,
} from './session.ts';
export {
  AuthConfigError,
  createTokenSet,
  generateToken,
  loadTokens,
  parseTokenFile,
  parseTokenList,
  type Role,
  TOKEN_MIN_LENGTH,
  type TokenEntry,
  type TokenSet,
} from './tokens.ts';
