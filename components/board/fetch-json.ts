/** GET a tenant route's JSON; a failure carries the server's message and status for the UI. */
export async function fetchJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { cache: 'no-store' });
  const body = (await response.json().catch(() => null)) as
    | (T & { error?: { message?: string } })
    | null;
  if (!response.ok || !body) {
    throw Object.assign(new Error(body?.error?.message ?? 'Could not load. Please try again.'), {
      status: response.status,
    });
  }
  return body;
}
