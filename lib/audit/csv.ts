/**
 * CSV cells per RFC 4180, safe to open in a spreadsheet. A cell that starts with `=`, `+`, `-`, `@`, a tab or
 * a carriage return would be run as a formula by Excel, LibreOffice or Google Sheets (OWASP, "CSV
 * Injection"): it gets a leading `'`, which they show as text. Every cell is quoted and its quotes doubled,
 * so commas and line breaks in names or user agents stay inside their cell.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  let text =
    value === null || value === undefined
      ? ''
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return `"${text.replaceAll('"', '""')}"`;
}

/** One record, CRLF-terminated as RFC 4180 asks. */
export function csvRow(values: unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
