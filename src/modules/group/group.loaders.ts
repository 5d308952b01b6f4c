import { visibleGroups, visibleUsers } from '../../auth/visibility.js';
import { entityColumns } from '../../common/paging.js';
import { rows } from '../../db/query.js';
import type { RequestContext } from '../request-context.js';
import { byIdLoader, childPages } from '../loader-kit.js';
import { User } from '../user/user.entity.js';
import { Group } from './group.entity.js';

export function createGroupLoaders(ctx: RequestContext) {
  const { em, knex, viewer } = ctx;
  return {
    groupById: byIdLoader<Group>(async (ids) => (await rows(em, visibleGroups(knex, viewer).select('g.*').whereIn('g.id', ids))).map((row) => em.map(Group, row))),
    /** Group.members: live users of the group, by email. */
    groupMembers: childPages<User, null>(ctx, {
      base: (groupIds) =>
        visibleUsers(knex, viewer).join('group_member as m', 'm.user_id', 'u.id').select('u.*', knex.raw('m.group_id as parent_key')).whereIn('m.group_id', groupIds),
      orderBy: 'b.email collate "C", b.id',
      map: (row) => em.map(User, entityColumns(row)),
    }),
  };
}
