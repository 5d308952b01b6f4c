import { Application } from '../modules/application/application.entity.js';
import { AppAssignmentRow } from '../modules/assignment/assignment.entity.js';
import { AuditEvent } from '../modules/audit/audit.entity.js';
import { Group, GroupMember } from '../modules/group/group.entity.js';
import { Partner } from '../modules/partner/partner.entity.js';
import { Tenant } from '../modules/tenant/tenant.entity.js';
import { User } from '../modules/user/user.entity.js';

export const ENTITIES = [Partner, Tenant, User, Group, GroupMember, Application, AppAssignmentRow, AuditEvent];
