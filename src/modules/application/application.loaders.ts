import { rows } from '../../db/query.js';
import type { RequestContext } from '../../graphql/context.js';
import { byIdLoader } from '../../graphql/loader-kit.js';
import { Application } from './application.entity.js';

export function createApplicationLoaders(ctx: RequestContext) {
  const { em } = ctx;
  return {
    applicationById: byIdLoader<Application>(async (ids) =>
      (await rows(em, ctx.services.applications.visibleQuery().select('a.*').whereIn('a.id', ids))).map((row) => em.map(Application, row)),
    ),
  };
}
