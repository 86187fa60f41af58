export { type UiAssets, type UiFile, loadUiAssets, renderIndexHtml } from './assets.ts';
export { normalizeBasePath } from './base-path.ts';
export { UiError } from './errors.ts';
export { addSecurityHeaders, CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from './headers.ts';
export { acceptsGzip, type UiPluginOptions, uiPlugin } from './plugin.ts';
