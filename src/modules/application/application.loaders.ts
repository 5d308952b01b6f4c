import { rows } from '../../db/query.js';
import type { RequestContext } from '../../graphql/context.js';
import DataLoader from 'dataloader';
import { byIdLoader } from '../../graphql/loader-kit.js';
import type { ApplicationSecret } from './application-secret.js';
import { Application } from './application.entity.js';

export function createApplicationLoaders(ctx: RequestContext) {
  const { em } = ctx;
  return {
    applicationById: byIdLoader<Application>(async (ids) =>
      (await rows(em, ctx.services.applications.visibleQuery().select('a.*').whereIn('a.id', ids))).map((row) => em.map(Application, row)),
    ),
    /** Working secrets per application (the parent was already loaded through visibility). */
    applicationSecrets: new DataLoader<string, ApplicationSecret[]>(async (ids) => {
      const found = await ctx.services.applications.secretsOf([...ids]);
      return ids.map((id) => found.get(id) ?? []);
    }),
  };
}
