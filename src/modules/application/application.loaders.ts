import { visibleApplications } from '../../auth/visibility.js';
import { rows } from '../../db/query.js';
import type { RequestContext } from '../request-context.js';
import DataLoader from 'dataloader';
import { byIdLoader } from '../loader-kit.js';
import { workingSecretsOf, type ApplicationSecret } from './application-secret.js';
import { Application } from './application.entity.js';

export function createApplicationLoaders(ctx: RequestContext) {
  const { em, knex, viewer } = ctx;
  return {
    applicationById: byIdLoader<Application>(async (ids) =>
      (await rows(em, visibleApplications(knex, viewer).select('a.*').whereIn('a.id', ids))).map((row) => em.map(Application, row)),
    ),
    /** Working secrets per application (the parent was already loaded through visibility). */
    applicationSecrets: new DataLoader<string, ApplicationSecret[]>(async (ids) => {
      const found = await workingSecretsOf(em, [...ids]);
      return ids.map((id) => found.get(id) ?? []);
    }),
  };
}
