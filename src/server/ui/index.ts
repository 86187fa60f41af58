export { BasePathError, normalizeBasePath } from '../base-path.ts';
export { loadUiAssets, renderIndexHtml, type UiAssets, type UiFile } from './assets.ts';
export { UiError } from './errors.ts';
export { addSecurityHeaders, CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from './headers.ts';
export { acceptsGzip, type UiPluginOptions, uiPlugin } from './plugin.ts';
