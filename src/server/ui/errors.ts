/** Why the UI cannot be served: a bad base path, or no built assets. */
export class UiError extends Error {
  override readonly name = 'UiError';
  constructor(
    readonly code: 'invalid_base_path' | 'ui_not_built' | 'ui_too_large',
    message: string,
  ) {
    super(message);
  }
}
