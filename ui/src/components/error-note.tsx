import { ApiError, UnauthorizedError } from '../api/client.ts';

/** A failed request, said plainly; the API's own message is shown as text. */
export function ErrorNote({ error }: { readonly error: Error }) {
  if (error instanceof UnauthorizedError) return null;
  const what =
    error instanceof ApiError
      ? `${error.message} (${error.code})`
      : `Could not reach the server: ${error.message}`;
  return (
    <p class="error" role="alert">
      {what}
    </p>
  );
}
