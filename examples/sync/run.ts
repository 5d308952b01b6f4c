import { run } from '../shared/env.js';
import { main } from './sync.js';

/** `IDGRAPH_URL=... IDGRAPH_TOKEN=... APPLICATION_ID=... [POLL_SECONDS=10] npx tsx examples/sync/run.ts`: syncs until stopped. */
run(async () => {
  const { IDGRAPH_URL, IDGRAPH_TOKEN, APPLICATION_ID, POLL_SECONDS } = process.env;
  if (!IDGRAPH_URL || !IDGRAPH_TOKEN || !APPLICATION_ID) throw new Error('Set IDGRAPH_URL, IDGRAPH_TOKEN and APPLICATION_ID');
  await main({ baseUrl: IDGRAPH_URL, token: IDGRAPH_TOKEN, applicationId: APPLICATION_ID, intervalMs: Number(POLL_SECONDS ?? 10) * 1000 });
});
