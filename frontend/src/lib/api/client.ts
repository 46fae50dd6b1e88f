// HTTP access to the API: typed reads and auth calls, the CSRF token, the language header, and command posting.
import createClient, { type Middleware } from 'openapi-fetch';
import { ApiError, type ErrorBody } from '../errors';
import { i18n } from '../i18n/index.svelte';
import type { QueuedCommand } from '../outbox/db';
import type { paths } from './schema';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function csrfCookie(): string {
  return document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/)?.[1] ?? '';
}

let csrfRequest: Promise<void> | null = null;

/** Makes sure the `csrftoken` cookie is set (once per page, or again when `force`d after a CSRF failure). */
export function ensureCsrf(force = false): Promise<void> {
  if (force || !csrfRequest) {
    csrfRequest = fetch('/api/v1/auth/csrf', { credentials: 'same-origin' }).then(
      () => undefined,
      (err) => {
        csrfRequest = null;
        throw err;
      },
    );
  }
  return csrfRequest;
}

function headers(method: string): Record<string, string> {
  const h: Record<string, string> = { 'Accept-Language': i18n.locale, Accept: 'application/json' };
  if (!SAFE_METHODS.has(method.toUpperCase())) h['X-CSRFToken'] = csrfCookie();
  return h;
}

const defaults: Middleware = {
  async onRequest({ request }) {
    if (!SAFE_METHODS.has(request.method)) await ensureCsrf().catch(() => undefined);
    for (const [name, value] of Object.entries(headers(request.method))) request.headers.set(name, value);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: location.origin, credentials: 'same-origin' });
api.use(defaults);

function asErrorBody(status: number, error: unknown): ErrorBody {
  if (error && typeof error === 'object' && typeof (error as ErrorBody).code === 'string') return error as ErrorBody;
  return { code: status >= 500 ? 'server_error' : 'http_' + status, message: typeof error === 'string' ? error : '' };
}

/** The data of an openapi-fetch answer, or an ApiError carrying the server's refusal. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw new ApiError(response.status, asErrorBody(response.status, error));
  return data as T;
}

async function postJson(url: string, body: unknown, extra: Record<string, string> = {}): Promise<Response> {
  await ensureCsrf();
  return fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { ...headers('POST'), 'Content-Type': 'application/json', ...extra },
    body: JSON.stringify(body),
  });
}

const commandBody = ({ id, type, payload }: QueuedCommand) => ({ id, type, payload });

/** Posts one outbox command, with its id as the idempotency key. */
export function postCommand(command: QueuedCommand): Promise<Response> {
  return postJson('/api/v1/commands', commandBody(command), { 'Idempotency-Key': command.id });
}

/** Posts a run of outbox commands in one request; no Idempotency-Key, since each command carries its own id. */
export function postBatchCommands(commands: QueuedCommand[]): Promise<Response> {
  return postJson('/api/v1/commands/batch', { commands: commands.map(commandBody) });
}
