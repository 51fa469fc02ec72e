/**
 * Addresses as pasted from a mail client or a spreadsheet, separated by commas, semicolons, line breaks or
 * spaces; `Name <a@b.c>` counts as its address. Shared by the form (a pasted list becomes rows) and the
 * server (an action called with one list), so both read a list the same way.
 */
export function splitAddresses(raw: string | string[]): string[] {
  const parts = Array.isArray(raw) ? raw : raw.split(/[,;\r\n]+/);
  return parts.flatMap((part) => {
    const named = /<([^<>]*)>\s*$/.exec(part);
    return named ? [named[1]!.trim()] : part.split(/\s+/).filter((word) => word.length > 0);
  });
}
