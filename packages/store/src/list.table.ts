import type { Insertable, Selectable, Updateable } from 'kysely';

/** `list`: a mailing list. */
export interface ListTable {
  id: string;
  sender_entity_id: string | null;
  name: string;
  description: string | null;
  created_at: string;
  updated_at: string;
  archived_at: string | null;
}
export type ListRow = Selectable<ListTable>;
export type NewListRow = Insertable<ListTable>;
export type ListRowUpdate = Updateable<ListTable>;

/** `list_membership`: who is on which list. */
export interface ListMembershipTable {
  list_id: string;
  contact_id: number;
  added_at: string;
  source: string | null;
}
export type ListMembershipRow = Selectable<ListMembershipTable>;
export type NewListMembershipRow = Insertable<ListMembershipTable>;
