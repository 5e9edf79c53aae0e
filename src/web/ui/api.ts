import type { ActionName, DescribedInstance, MetricsPoint } from './types.js';

/**
 * Requests ride on the HttpOnly cookie the server set. State changes add the custom header the
 * server's CSRF check asks for: another site cannot send it without a CORS preflight.
 */
async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(path, { credentials: 'same-origin', ...init });
  const body = (await response.json()) as T | { error?: { message?: string } };
  if (!response.ok) {
    const message = (body as { error?: { message?: string } }).error?.message ?? `HTTP ${response.status}`;
    throw new Error(message);
  }
  return body as T;
}

export function fetchHistory(id: number): Promise<MetricsPoint[]> {
  return request(`/api/history/${id}`);
}

export function fetchDescribe(app: string): Promise<DescribedInstance[]> {
  return request(`/api/describe/${encodeURIComponent(app)}`);
}

export function postAction(action: ActionName, target: string): Promise<unknown> {
  return request('/api/actions', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Tend-Request': '1' },
    body: JSON.stringify({ action, target }),
  });
}
