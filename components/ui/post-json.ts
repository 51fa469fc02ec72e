'use client';

import { UNREACHABLE } from '@/lib/actions/call';
import type { ActionResult } from '@/lib/actions/result';
import type { Failure } from '@/lib/errors/app-error';

/**
 * Posts JSON to one of the app's route handlers and reads its answer in the shape server actions return,
 * so forms show field errors and messages the same way whichever they use. A 429's message already says
 * how long to wait (the Retry-After header says it to machines).
 */
export async function postJson<T>(url: string, body: unknown): Promise<ActionResult<T>> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
      cache: 'no-store',
    });
    const json = (await response.json().catch(() => null)) as { error?: Failure } | null;
    if (response.ok && json && !json.error) return { ok: true, data: json as T };
    return { ok: false, error: json?.error ?? UNREACHABLE };
  } catch {
    return { ok: false, error: UNREACHABLE };
  }
}

/** A form's submission as a function `useActionForm` can run: the form's fields, posted as JSON. */
export function jsonFormAction<T>(url: string) {
  return (data: FormData) => postJson<T>(url, Object.fromEntries(data));
}
