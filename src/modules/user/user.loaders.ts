import { entityColumns } from '../../common/paging.js';
import { rows } from '../../db/query.js';
import type { RequestContext } from '../../graphql/context.js';
import { byIdLoader, groupByParent, keyedLoader } from '../../graphql/loader-kit.js';
import { Group } from '../group/group.entity.js';
import { User } from './user.entity.js';

export function createUserLoaders(ctx: RequestContext) {
  const { em } = ctx;
  return {
    userById: byIdLoader<User>(async (ids) =>
      (await rows(em, ctx.services.users.visibleQuery().select('u.*').whereIn('u.id', ids))).map((row) => em.map(User, row)),
    ),
    /** User.groups: the live groups a user is a member of. */
    userGroups: keyedLoader<null, Group[]>(async (userIds) => {
      const qb = ctx.services.groups
        .visibleQuery()
        .join('group_member as m', 'm.group_id', 'g.id')
        .select('g.*', ctx.knex.raw('m.user_id as parent_key'))
        .whereIn('m.user_id', userIds)
        .orderBy([{ column: 'g.name' }, { column: 'g.id' }]);
      return groupByParent(await rows(em, qb), (row) => em.map(Group, entityColumns(row)));
    }, () => []),
  };
}
