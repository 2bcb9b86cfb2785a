/**
 * fetch with the token, and one error path: a non-2xx answer becomes an `ApiError` carrying the server's
 * `{ "error": msg }` message; 401 becomes `UnauthorizedError` and tells every listener (the app shows a page
 * explaining how to open Cellmate with its token); a failed connection becomes `NetworkError`.
 */
import { appUrl } from './base-path.ts';
import { getToken } from './token.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export class UnauthorizedError extends ApiError {
  constructor(message = 'Missing or wrong access token') {
    super(401, message);
    this.name = 'UnauthorizedError';
  }
}

/** The server could not be reached at all (stopped, restarting, offline). */
export class NetworkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NetworkError';
  }
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();

/** Subscribes to "the token was refused"; returns the unsubscribe function. */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export function reportUnauthorized(): void {
  for (const listener of unauthorizedListeners) listener();
}

export function authHeaders(): Record<string, string> {
  const token = getToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/** Performs a request for an app path (`/api/…`, under the base path) and returns the response only when it is 2xx. */
export async function apiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  for (const [name, value] of Object.entries(authHeaders())) headers.set(name, value);
  if (init.body !== undefined && !headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
  let response: Response;
  try {
    response = await fetch(appUrl(path), { ...init, headers });
  } catch (error) {
    throw new NetworkError(error instanceof Error ? error.message : 'The server could not be reached');
  }
  if (response.ok) return response;
  const message = await errorMessage(response);
  if (response.status === 401) {
    reportUnauthorized();
    throw new UnauthorizedError(message);
  }
  throw new ApiError(response.status, message);
}

/** Performs a request and parses its JSON body, returned as `unknown` for the caller's guard to check. */
export async function apiJson(path: string, init: RequestInit = {}): Promise<unknown> {
  const response = await apiFetch(path, init);
  if (response.status === 204) return null;
  const value: unknown = await response.json();
  return value;
}

async function errorMessage(response: Response): Promise<string> {
  try {
    const body: unknown = await response.json();
    if (isRecord(body) && typeof body.error === 'string') return body.error;
  } catch {
    // Not JSON (a proxy's HTML error page…): fall back to the status line.
  }
  return `${response.status} ${response.statusText}`.trim();
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
