/** Where the gateway is and who calls it: set by `npm run examples` (scripts/examples.ts), or by you. */
export function gatewayFromEnv(): { baseUrl: string; token: string } {
  const baseUrl = process.env.IDGRAPH_URL;
  const token = process.env.IDGRAPH_TOKEN;
  if (!baseUrl || !token) throw new Error('Set IDGRAPH_URL (e.g. http://localhost:4000) and IDGRAPH_TOKEN (a super-admin JWT: `npm run token`)');
  return { baseUrl, token };
}

/** A suffix that keeps names unique when the examples run twice against one database. */
export const runId = Date.now().toString(36);

/** Fails the example (exit code 1) with a message, when what the API returned is not what it should be. */
export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`check failed: ${message}`);
}

/** Runs an example's main: prints the error and exits non-zero on failure. */
export function run(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : error);
      process.exit(1);
    },
  );
}
