import { visibleGroups, visibleUsers } from '../../auth/visibility.js';
import { entityColumns } from '../../common/paging.js';
import { rows } from '../../db/query.js';
import type { RequestContext } from '../request-context.js';
import { byIdLoader, groupByParent, keyedLoader } from '../loader-kit.js';
import { Group } from '../group/group.entity.js';
import { User } from './user.entity.js';

export function createUserLoaders(ctx: RequestContext) {
  const { em, knex, viewer } = ctx;
  return {
    userById: byIdLoader<User>(async (ids) => (await rows(em, visibleUsers(knex, viewer).select('u.*').whereIn('u.id', ids))).map((row) => em.map(User, row))),
    /** User.groups: the live groups a user is a member of. */
    userGroups: keyedLoader<null, Group[]>(
      async (userIds) => {
        const qb = visibleGroups(knex, viewer)
          .join('group_member as m', 'm.group_id', 'g.id')
          .select('g.*', knex.raw('m.user_id as parent_key'))
          .whereIn('m.user_id', userIds)
          .orderBy([{ column: 'g.name' }, { column: 'g.id' }]);
        return groupByParent(await rows(em, qb), (row) => em.map(Group, entityColumns(row)));
      },
      () => [],
    ),
  };
}
