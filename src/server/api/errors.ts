import type { FastifyReply } from 'fastify';

/** The API's error body: `{ "error": { "code": "...", "message": "..." } }`. */
export interface ApiErrorBody {
  readonly error: { readonly code: string; readonly message: string };
}

/** A request the API refuses; the handler's error hook turns it into the JSON body. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function sendApiError(
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
): FastifyReply {
  const body: ApiErrorBody = { error: { code, message } };
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}
