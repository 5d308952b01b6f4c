import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { rights } from '../../auth/rights.js';
import { generateClientId, generateClientSecret, hashSecret } from '../../auth/secrets.js';
import { visibleApplications, type VisibilityOptions } from '../../auth/visibility.js';
import { ConflictError, NotFoundError, ValidationError } from '../../common/errors.js';
import { pageRequest, type Page } from '../../common/paging.js';
import { containsPattern } from '../../common/search.js';
import { InputCheck } from '../../common/validate.js';
import { lockedRow } from '../../db/locks.js';
import { fetchViewPage, rows } from '../../db/query.js';
import type { RequestContext } from '../request-context.js';
import type { PartnerService } from '../partner/partner.service.js';
import type { TenantService } from '../tenant/tenant.service.js';
import type { createApplicationLoaders } from './application.loaders.js';
import { created, recordAudit } from '../audit/audit.service.js';
import { auditedUpdate } from '../audit/audited-update.js';
import { AppAssignmentRow } from '../assignment/assignment.entity.js';
import { Application, ApplicationScope, ApplicationType, DEFAULT_INVITE_EXPIRATION_MINUTES } from './application.entity.js';
import { ApplicationFields, MAX_REDIRECT_URIS } from './application.fields.js';
import type {
  ApplicationListArgs,
  ApplicationWithSecret,
  CreateApplicationInput,
  ManagementApplicationInput,
  ManagementFieldsInput,
  RotatedSecret,
  UpdateApplicationInput,
} from './application.types.js';
import { insertSecret, MAX_GRACE_PERIOD_SECONDS, retireSecrets, type SecretRow } from './application-secret.js';

const AUDITED: (keyof Application)[] = [
  'name',
  'description',
  'applicationType',
  'scope',
  'partnerId',
  'tenantId',
  'redirectUris',
  'loginUri',
  'subdomain',
  'customDomain',
  'inviteMemberEmailExpirationMinutes',
  'pkce',
  'firstClientAuthenticationProtocol',
  'firstClient',
];

/**
 * An application as a list page reads it (src/db/query.ts `fetchViewPage`): a plain object, not a
 * managed entity, without the secret hash. Application's GraphQL fields read the properties
 * (simpleResolvers) and the field resolvers read only ids, so both kinds of object answer alike
 * (test/applications-assignments.test.ts compares a list item with `application`).
 */
export type ApplicationView = Omit<Application, 'clientSecretHash'>;

export class ApplicationService {
  constructor(
    private readonly ctx: RequestContext,
    private readonly loaders: Pick<ReturnType<typeof createApplicationLoaders>, 'applicationById'>,
    private readonly partners: Pick<PartnerService, 'get' | 'getIn'>,
    private readonly tenants: Pick<TenantService, 'get' | 'findForWrite'>,
  ) {}

  private visibleQuery(knex: Knex = this.ctx.knex, options: VisibilityOptions = {}): Knex.QueryBuilder {
    return visibleApplications(knex, this.ctx.viewer, options);
  }

  async list(args: ApplicationListArgs): Promise<Page<ApplicationView>> {
    const request = pageRequest(args);
    const { em, knex } = this.ctx;
    if (args.includeDeleted) rights.seeDeleted(this.ctx.viewer);
    const base = this.visibleQuery(knex, { includeDeleted: Boolean(args.includeDeleted) });
    if (args.tenantId) base.where('a.tenant_id', args.tenantId);
    if (args.partnerId) {
      const partnerId = args.partnerId;
      base.where((w) => w.where('a.partner_id', partnerId).orWhereIn('a.tenant_id', knex('tenant').select('id').where('partner_id', partnerId)));
    }
    if (args.scope) base.where('a.scope', args.scope);
    if (args.applicationType) base.where('a.application_type', args.applicationType);
    if (args.search) {
      const pattern = containsPattern(args.search);
      base.where((w) => w.whereILike('a.name', pattern).orWhereILike('a.description', pattern).orWhereILike('a.client_id', pattern));
    }
    return fetchViewPage<ApplicationView>(em, Application, base, 'a', [{ column: 'a.name' }, { column: 'a.id' }], request);
  }

  async get(id: string): Promise<Application> {
    const application = await this.loaders.applicationById.load(id);
    if (!application) throw new NotFoundError('Application', id);
    return application;
  }

  /** A visible live application, locked FOR UPDATE inside a write transaction (src/db/locks.ts). */
  async getIn(em: EntityManager, id: string): Promise<Application> {
    const row = await lockedRow(em, this.visibleQuery(em.getKnex()).where('a.id', id), 'a', 'update');
    if (!row) throw new NotFoundError('Application', id);
    return em.map(Application, row);
  }

  async create(input: CreateApplicationInput): Promise<ApplicationWithSecret> {
    const { viewer } = this.ctx;
    const check = new InputCheck();
    const name = check.text('name', input.name, ApplicationFields.name, true);
    const description = check.optionalText('description', input.description, ApplicationFields.description) ?? '';
    const redirectUris = this.checkRedirectUris(check, input.redirectUris) ?? [];
    let scope = check.notNull('scope', input.scope);
    let partnerId = input.partnerId ?? null;
    let tenantId = input.tenantId ?? null;
    if (!scope) {
      if (tenantId) scope = ApplicationScope.TENANT;
      else if (partnerId) scope = ApplicationScope.PARTNER;
      else if (viewer.kind === 'tenant_admin') scope = ApplicationScope.TENANT;
      else if (viewer.kind === 'partner_admin') scope = ApplicationScope.PARTNER;
      else scope = ApplicationScope.GLOBAL;
    }
    // The caller's own partner/tenant fill a missing owner.
    if (scope === ApplicationScope.TENANT && !tenantId && viewer.kind === 'tenant_admin') tenantId = viewer.tenantId;
    if (scope === ApplicationScope.PARTNER && !partnerId && (viewer.kind === 'partner_admin' || viewer.kind === 'tenant_admin')) {
      partnerId = viewer.partnerId;
    }
    if (scope === ApplicationScope.GLOBAL) {
      if (partnerId) check.fail('partnerId', 'must be empty for a GLOBAL application');
      if (tenantId) check.fail('tenantId', 'must be empty for a GLOBAL application');
    }
    if (scope === ApplicationScope.PARTNER) {
      if (!partnerId) check.fail('partnerId', 'is required for a PARTNER application', 'missing');
      if (tenantId) check.fail('tenantId', 'must be empty for a PARTNER application');
    }
    if (scope === ApplicationScope.TENANT) {
      if (!tenantId) check.fail('tenantId', 'is required for a TENANT application', 'missing');
      if (partnerId) check.fail('partnerId', 'must be empty for a TENANT application');
    }
    if (input.applicationType === ApplicationType.management && scope !== ApplicationScope.TENANT) {
      check.fail('applicationType', 'management applications belong to one tenant (scope TENANT)');
    }
    const management = this.checkManagementFields(check, input, input.applicationType, true);
    check.done();

    // References the caller cannot see are 404; an owner it can see but may not create in is 403 (before hashing a secret).
    if (partnerId) await this.partners.get(partnerId);
    if (tenantId) await this.tenants.get(tenantId);
    rights.writeApplication(viewer, scope);

    const clientSecret = generateClientSecret();
    const clientSecretHash = await hashSecret(clientSecret);
    return this.ctx.em.transactional(async (em) => {
      // The owner stays live until the application is committed: a concurrent delete waits, or won and this is 404.
      if (partnerId) await this.partners.getIn(em, partnerId, 'share');
      if (tenantId) await this.tenants.findForWrite(em, tenantId, 'share');
      const application = em.create(Application, {
        name: name!,
        description,
        applicationType: input.applicationType,
        scope,
        partnerId,
        tenantId,
        redirectUris,
        clientId: generateClientId(),
        clientSecretHash,
        ...management,
      });
      recordAudit(em, this.ctx, {
        action: 'application.create',
        targetType: 'application',
        targetId: application.id,
        tenantId,
        partnerId,
        diff: { ...created(application, AUDITED), clientId: application.clientId },
      });
      await em.flush();
      await insertSecret(em, application.id, clientSecretHash, application.createdAt);
      return { application, clientSecret };
    });
  }

  async update(id: string, input: UpdateApplicationInput, onlyType?: ApplicationType): Promise<Application> {
    const check = new InputCheck();
    const name = check.text('name', input.name, ApplicationFields.name);
    const description = check.optionalText('description', input.description, ApplicationFields.description);
    const redirectUris = this.checkRedirectUris(check, input.redirectUris);
    const applicationType = check.notNull('applicationType', input.applicationType);
    check.done();
    return auditedUpdate(this.ctx, {
      load: async (em) => {
        const application = await this.getIn(em, id);
        if (onlyType && application.applicationType !== onlyType) throw new NotFoundError('Application', id);
        rights.writeApplication(this.ctx.viewer, application.scope);
        return application;
      },
      apply: (application) => {
        // The management fields' checks depend on the stored type and scope.
        const type = applicationType ?? application.applicationType;
        if (type === ApplicationType.management && application.scope !== ApplicationScope.TENANT) {
          check.fail('applicationType', 'management applications belong to one tenant (scope TENANT)');
        }
        const management = this.checkManagementFields(check, input, type, false);
        check.done();
        if (name !== undefined) application.name = name;
        if (description !== undefined) application.description = description;
        if (redirectUris !== undefined) application.redirectUris = redirectUris;
        if (applicationType) application.applicationType = applicationType;
        Object.assign(application, management);
      },
      audited: AUDITED,
      event: (application) => ({
        action: 'application.update',
        targetType: 'application',
        targetId: id,
        tenantId: application.tenantId,
        partnerId: application.partnerId,
      }),
    });
  }

  /**
   * Soft delete. Assignments are kept for a later restore (SPEC §1) unless `removeAssignments`
   * (the management API's DELETE removes them).
   */
  async delete(id: string, options: { onlyType?: ApplicationType; removeAssignments?: boolean } = {}): Promise<boolean> {
    return this.ctx.em.transactional(async (em) => {
      const application = await this.getIn(em, id);
      if (options.onlyType && application.applicationType !== options.onlyType) throw new NotFoundError('Application', id);
      rights.writeApplication(this.ctx.viewer, application.scope);
      application.deletedAt = new Date();
      let removedAssignments = 0;
      if (options.removeAssignments) removedAssignments = await em.nativeDelete(AppAssignmentRow, { applicationId: id });
      recordAudit(em, this.ctx, {
        action: 'application.delete',
        targetType: 'application',
        targetId: id,
        tenantId: application.tenantId,
        partnerId: application.partnerId,
        diff: options.removeAssignments ? { removedAssignments } : {},
      });
      await em.flush();
      return true;
    });
  }

  /**
   * New current secret. The previous ones keep working for `gracePeriodSeconds` (0: they fail at once);
   * `application.client_secret_hash` keeps the current one's hash.
   */
  async rotateSecret(id: string, gracePeriodSeconds = 0): Promise<RotatedSecret> {
    if (!Number.isInteger(gracePeriodSeconds) || gracePeriodSeconds < 0 || gracePeriodSeconds > MAX_GRACE_PERIOD_SECONDS) {
      throw ValidationError.field(['gracePeriodSeconds'], `must be an integer between 0 and ${MAX_GRACE_PERIOD_SECONDS}`);
    }
    const clientSecret = generateClientSecret();
    const clientSecretHash = await hashSecret(clientSecret);
    return this.ctx.em.transactional(async (em) => {
      const application = await this.getIn(em, id);
      rights.writeApplication(this.ctx.viewer, application.scope);
      const rotatedAt = new Date();
      const previousSecretExpiresAt = gracePeriodSeconds > 0 ? await retireSecrets(em, id, gracePeriodSeconds) : (await retireSecrets(em, id, 0), null);
      const secretId = await insertSecret(em, id, clientSecretHash, rotatedAt);
      application.clientSecretHash = clientSecretHash;
      application.secretRotatedAt = rotatedAt;
      application.updatedAt = rotatedAt;
      recordAudit(em, this.ctx, {
        action: 'application.rotate_secret',
        targetType: 'application',
        targetId: id,
        tenantId: application.tenantId,
        partnerId: application.partnerId,
        diff: gracePeriodSeconds > 0 ? { gracePeriodSeconds, secretId } : { secretId },
      });
      await em.flush();
      return { id, clientId: application.clientId, clientSecret, rotatedAt, secretId, previousSecretExpiresAt };
    });
  }

  /**
   * Ends a secret in its grace period now (idempotent for one already ended). The current secret
   * cannot be revoked (409): rotate instead.
   */
  async revokeSecret(secretId: string, applicationId?: string | null): Promise<Application> {
    // The secret of an application the viewer can see, else NOT_FOUND.
    const found = this.visibleQuery().join('application_secret as s', 's.application_id', 'a.id').select('s.application_id').where('s.id', secretId);
    if (applicationId) found.where('a.id', applicationId);
    const [secret] = await rows<{ application_id: string }>(this.ctx.em, found);
    if (!secret) throw new NotFoundError('Secret', secretId);
    return this.ctx.em.transactional(async (em) => {
      const application = await this.getIn(em, secret.application_id);
      rights.writeApplication(this.ctx.viewer, application.scope);
      const [current] = await rows<SecretRow>(em, em.getKnex()('application_secret').select('*').where('id', secretId).forUpdate());
      if (current.expires_at === null && current.revoked_at === null) {
        throw new ConflictError('The current secret cannot be revoked: rotate the secret instead');
      }
      if (current.revoked_at === null) {
        await rows(em, em.getKnex()('application_secret').update({ revoked_at: new Date() }).where('id', secretId));
        recordAudit(em, this.ctx, {
          action: 'application.revoke_secret',
          targetType: 'application',
          targetId: application.id,
          tenantId: application.tenantId,
          partnerId: application.partnerId,
          diff: { secretId },
        });
        await em.flush();
      }
      return application;
    });
  }

  /**
   * Brings back a soft-deleted application with the assignments its delete kept (SPEC §1). Found
   * through the same visibility minus liveness; same rights as delete. 409 when its partner or tenant is deleted (restore that first). A live one is returned as it is.
   */
  async restore(id: string): Promise<Application> {
    const { viewer } = this.ctx;
    return this.ctx.em.transactional(async (em) => {
      const knex = em.getKnex();
      const [found] = await rows<{ partner_id: string | null; tenant_id: string | null }>(
        em,
        this.visibleQuery(knex, { includeDeleted: true }).select('a.partner_id', 'a.tenant_id').where('a.id', id),
      );
      if (!found) throw new NotFoundError('Application', id);
      // Owner first (lock order partner → tenant → application, src/db/locks.ts), and live.
      if (found.partner_id) {
        const [partner] = await rows<{ deleted_at: Date | null }>(em, knex('partner').select('deleted_at').where('id', found.partner_id).forShare());
        if (!partner || partner.deleted_at) throw new ConflictError(`Cannot restore: the application's partner ${found.partner_id} is deleted`);
      }
      if (found.tenant_id) {
        const [tenant] = await rows<{ deleted_at: Date | null }>(em, knex('tenant').select('deleted_at').where('id', found.tenant_id).forShare());
        if (!tenant || tenant.deleted_at) throw new ConflictError(`Cannot restore: the application's tenant ${found.tenant_id} is deleted`);
      }
      const row = await lockedRow(em, this.visibleQuery(knex, { includeDeleted: true }).where('a.id', id), 'a', 'update', { includeDeleted: true });
      if (!row) throw new NotFoundError('Application', id);
      const application = em.map(Application, row);
      rights.writeApplication(viewer, application.scope);
      // Restoring a live row is idempotent: the row as it is, nothing written (a retried restore succeeds).
      if (!application.deletedAt) return application;
      application.deletedAt = null;
      application.updatedAt = new Date();
      recordAudit(em, this.ctx, {
        action: 'application.restore',
        targetType: 'application',
        targetId: id,
        tenantId: application.tenantId,
        partnerId: application.partnerId,
      });
      await em.flush();
      return application;
    });
  }

  // Management applications (management-apps-api.txt): TENANT-scoped, type management, of one tenant.

  async listManagement(tenantId: string): Promise<Application[]> {
    await this.tenants.get(tenantId);
    const found = await rows(
      this.ctx.em,
      this.visibleQuery()
        .select('a.*')
        .where({ 'a.tenant_id': tenantId, 'a.application_type': ApplicationType.management })
        .orderBy([{ column: 'a.created_at' }, { column: 'a.id' }]),
    );
    return found.map((row) => this.ctx.em.map(Application, row));
  }

  createManagement(tenantId: string, input: ManagementApplicationInput): Promise<ApplicationWithSecret> {
    return this.create({
      ...input,
      name: input.name as string,
      applicationType: ApplicationType.management,
      scope: ApplicationScope.TENANT,
      tenantId,
      inviteMemberEmailExpirationMinutes: input.inviteMemberEmailExpirationMinutes ?? DEFAULT_INVITE_EXPIRATION_MINUTES,
    });
  }

  async updateManagement(tenantId: string, id: string, input: ManagementApplicationInput): Promise<Application> {
    await this.getManagement(tenantId, id);
    return this.update(id, input, ApplicationType.management);
  }

  async deleteManagement(tenantId: string, id: string): Promise<boolean> {
    await this.getManagement(tenantId, id);
    return this.delete(id, { onlyType: ApplicationType.management, removeAssignments: true });
  }

  async getManagement(tenantId: string, id: string): Promise<Application> {
    const application = await this.get(id);
    if (application.tenantId !== tenantId || application.applicationType !== ApplicationType.management) {
      throw new NotFoundError('Management application', id);
    }
    return application;
  }

  private checkRedirectUris(check: InputCheck, uris: string[] | null | undefined): string[] | undefined {
    if (uris === undefined) return undefined;
    if (uris === null) return [];
    if (uris.length > MAX_REDIRECT_URIS) check.fail('redirectUris', `at most ${MAX_REDIRECT_URIS} redirect URIs`);
    uris.forEach((uri, index) => check.absoluteUrl(['redirectUris', index], uri));
    return [...new Set(uris)];
  }

  /** The management-only fields given, validated; rejected on other application types. */
  private checkManagementFields(check: InputCheck, input: ManagementFieldsInput, type: ApplicationType, creating: boolean): Partial<Application> {
    const fields: Partial<Application> = {};
    const given = (['loginUri', 'subdomain', 'customDomain', 'inviteMemberEmailExpirationMinutes', 'pkce', 'firstClientAuthenticationProtocol', 'firstClient'] as const).filter(
      (field) => input[field] !== undefined,
    );
    if (type !== ApplicationType.management) {
      for (const field of given) if (input[field] !== null) check.fail(field, 'only management applications have this field');
      return fields;
    }
    if (input.loginUri !== undefined) {
      if (input.loginUri !== null) {
        // The column's limit, checked here so an over-long URI is a 422 rather than a database error.
        const max = ApplicationFields.loginUri.maxLength;
        if (input.loginUri.length > max) check.fail('loginUri', `must be at most ${max} characters`, 'string_too_long');
        else check.absoluteUrl('loginUri', input.loginUri);
      }
      fields.loginUri = input.loginUri;
    }
    if (input.subdomain !== undefined) {
      if (input.subdomain !== null) check.matches('subdomain', input.subdomain, ApplicationFields.subdomain);
      fields.subdomain = input.subdomain;
    }
    if (input.customDomain !== undefined) {
      if (input.customDomain !== null) check.matches('customDomain', input.customDomain, ApplicationFields.customDomain);
      fields.customDomain = input.customDomain;
    }
    if (input.inviteMemberEmailExpirationMinutes !== undefined) {
      const minutes = input.inviteMemberEmailExpirationMinutes;
      if (minutes !== null) check.integer('inviteMemberEmailExpirationMinutes', minutes, ApplicationFields.inviteMemberEmailExpirationMinutes);
      fields.inviteMemberEmailExpirationMinutes = minutes ?? DEFAULT_INVITE_EXPIRATION_MINUTES;
    } else if (creating) {
      fields.inviteMemberEmailExpirationMinutes = DEFAULT_INVITE_EXPIRATION_MINUTES;
    }
    if (input.pkce !== undefined) fields.pkce = input.pkce;
    if (input.firstClientAuthenticationProtocol !== undefined) fields.firstClientAuthenticationProtocol = input.firstClientAuthenticationProtocol;
    if (input.firstClient !== undefined) fields.firstClient = input.firstClient;
    return fields;
  }
}
