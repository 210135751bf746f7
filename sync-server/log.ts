/**
 * Structured log lines on stderr. Fields carry ids and counts only: never a password, a
 * token or message text.
 */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

function errorFields(fields: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!fields) return fields;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = v instanceof Error ? v.message : v;
  return out;
}

export function createLogger(level: 'info' | 'warn' | 'error' | 'silent' = 'info'): Logger {
  const rank = { info: 0, warn: 1, error: 2, silent: 3 }[level];
  const write = (lvl: string, r: number) => (message: string, fields?: Record<string, unknown>) => {
    if (r < rank) return;
    process.stderr.write(JSON.stringify({ t: new Date().toISOString(), level: lvl, msg: message, ...errorFields(fields) }) + '\n');
  };
  return { info: write('info', 0), warn: write('warn', 1), error: write('error', 2) };
}
