import { setMembership, type Db, type Role } from '@switchboard/db';
import { ensurePasswordUser, type Auth } from './auth.ts';

export interface MemberInput {
  email: string;
  name: string;
  password: string;
  role: Role;
  tenantId: string;
  agentKey?: string;
  teamKeys?: readonly string[];
  qualityLead?: boolean;
}

/** Creates (or resets the password of) a user and gives them their role in the tenant. */
export async function ensureMember(auth: Auth, db: Db, input: MemberInput): Promise<string> {
  const userId = await ensurePasswordUser(auth, { email: input.email, name: input.name, password: input.password });
  await setMembership(db, {
    userId,
    tenantId: input.tenantId,
    role: input.role,
    agentKey: input.agentKey,
    teamKeys: input.teamKeys,
    qualityLead: input.qualityLead,
  });
  return userId;
}
