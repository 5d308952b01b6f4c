/** DATABASE_URL as it may be shown: the password replaced by `***`. */
export function redactedUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  if (url.password) url.password = '***';
  return url.toString();
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused: is PostgreSQL running there and listening on that port?',
  ENOTFOUND: 'host not found: is the host name right?',
  EAI_AGAIN: 'host name lookup failed (DNS): is the host name right?',
  ETIMEDOUT: 'connection timed out: is the host reachable (firewall, network)?',
  EHOSTUNREACH: 'host unreachable',
  ECONNRESET: 'connection reset by the server (TLS required? try ?sslmode=require)',
  '28P01': 'password authentication failed: check the user and password',
  '28000': 'the server refused this user: check the user name and pg_hba.conf',
  '3D000': 'the database does not exist',
};

/**
 * A one-line explanation for a failure to reach the database named by DATABASE_URL, naming the
 * variable and the host (never the password); undefined when the error is not a connection problem.
 */
export function describeConnectionError(error: unknown, databaseUrl: string): string | undefined {
  const code = (error as { code?: string } | undefined)?.code;
  if (!code || !REASONS[code]) return undefined;
  const url = new URL(databaseUrl);
  const where = `host ${url.hostname}:${url.port || 5432}, database ${url.pathname.slice(1) || '(default)'}${url.username ? `, user ${decodeURIComponent(url.username)}` : ''}`;
  return `Cannot connect to the database in DATABASE_URL (${where}): ${REASONS[code]} [${code}]`;
}
