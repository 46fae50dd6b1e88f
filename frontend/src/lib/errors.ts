// The API's one error shape, and the error thrown when the server refuses a request or a command.
export interface FieldErrorBody {
  code: string;
  message: string;
  messages?: Record<string, string>;
}

export interface ErrorBody {
  code: string;
  message: string;
  messages?: Record<string, string>;
  fields?: Record<string, FieldErrorBody>;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(body.message);
    this.name = 'ApiError';
  }

  get code(): string {
    return this.body.code;
  }
}

/** Reads a refusal body, tolerating a non-JSON answer (a proxy page, a CSRF failure page). */
export async function errorBody(res: Response): Promise<ErrorBody> {
  const fallback: ErrorBody = { code: res.status >= 500 ? 'server_error' : 'http_' + res.status, message: res.statusText };
  try {
    const body = await res.json();
    return body && typeof body.code === 'string' ? body : fallback;
  } catch {
    return fallback;
  }
}
