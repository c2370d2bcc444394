/** Timestamps as the reference implementation writes them in process cards: UTC, `Z`, no fraction. */
export function osciTime(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Parses an xsd:dateTime (with zone; without one it is taken as UTC); undefined when unreadable. */
export function parseDateTime(value: string): Date | undefined {
  const v = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.test(v)) return undefined;
  const d = new Date(/(Z|[+-]\d{2}:\d{2})$/.test(v) ? v : `${v}Z`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}
