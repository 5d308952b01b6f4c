import { PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { newId } from './fixed-ids.js';
import { IdScalar } from './scalars.js';

/** Columns every row has (SPEC §1). */
@ObjectType()
export abstract class BaseRow {
  @Field(() => IdScalar)
  @PrimaryKey({ type: 'uuid' })
  id: string = newId(this.constructor.name);

  @Field(() => Date)
  @Property({ type: 'timestamptz' })
  createdAt: Opt<Date> = new Date();

  @Field(() => Date)
  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}

/** Rows that are soft-deleted: hidden everywhere once `deletedAt` is set. */
@ObjectType()
export abstract class SoftDeletableRow extends BaseRow {
  @Field(() => Date, { nullable: true, description: 'When it was soft-deleted; null for live rows (deleted rows show only in includeDeleted lists and restores).' })
  @Property({ type: 'timestamptz', nullable: true })
  deletedAt?: Date | null = null;
}
