/** Whether an Accept-Encoding header takes `coding` (by name or `*`, with a q-value above zero). */
export function acceptsCoding(header: string | undefined, coding: 'gzip' | 'br'): boolean {
  for (const entry of (header ?? '').split(',')) {
    const [name = '', ...params] = entry.split(';').map((part) => part.trim().toLowerCase());
    if (name !== coding && name !== '*') continue;
    const q = params.find((param) => param.startsWith('q='));
    if (!q || Number(q.slice(2)) > 0) return true;
  }
  return false;
}
