import { IdentityUnavailableError, ServiceUnavailableError } from '../../../src/core/errors';
import {
  arcadeUserIdFromSlack,
  createArcadeUserIdResolver,
  type EmailLookup,
} from '../../../src/identity/identity';

/** An email lookup that records the user ids it was asked about. */
function lookupReturning(email: string | undefined): EmailLookup & { calls: string[] } {
  const calls: string[] = [];
  const lookup = async (userId: string) => {
    calls.push(userId);
    return email;
  };
  return Object.assign(lookup, { calls });
}

describe('arcadeUserIdFromSlack', () => {
  it('is slack:<team>:<user> for a plain workspace', () => {
    expect(arcadeUserIdFromSlack({ teamId: 'T0123ABCD', userId: 'U0456EFGH' })).toBe(
      'slack:T0123ABCD:U0456EFGH',
    );
  });

  it('uses the enterprise id over the team id on Enterprise Grid', () => {
    expect(arcadeUserIdFromSlack({ teamId: 'T1', enterpriseId: 'E9', userId: 'W7' })).toBe('slack:E9:W7');
  });

  it('gives the same id to one Grid user in two workspaces of the org', () => {
    const a = arcadeUserIdFromSlack({ teamId: 'T1', enterpriseId: 'E9', userId: 'W7' });
    const b = arcadeUserIdFromSlack({ teamId: 'T2', enterpriseId: 'E9', userId: 'W7' });
    expect(a).toBe(b);
  });

  it('keeps the same user id in different workspaces apart', () => {
    const a = arcadeUserIdFromSlack({ teamId: 'T1', userId: 'U1' });
    const b = arcadeUserIdFromSlack({ teamId: 'T2', userId: 'U1' });
    expect(a).not.toBe(b);
  });

  it('falls back to the team id when the enterprise id is empty', () => {
    expect(arcadeUserIdFromSlack({ teamId: 'T1', enterpriseId: '', userId: 'U1' })).toBe('slack:T1:U1');
  });
});

describe('createArcadeUserIdResolver', () => {
  it("'slack' derives the id from the Slack identity and never looks up an email", async () => {
    const lookup = lookupReturning('someone@example.com');
    const resolve = createArcadeUserIdResolver('slack', lookup);
    await expect(resolve({ teamId: 'T1', userId: 'U1' })).resolves.toBe('slack:T1:U1');
    await expect(resolve({ teamId: 'T1', enterpriseId: 'E1', userId: 'U1' })).resolves.toBe('slack:E1:U1');
    expect(lookup.calls).toEqual([]);
  });

  it("'email' looks up the user's email and lowercases and trims it", async () => {
    const lookup = lookupReturning('  Alice.Example@Example.COM \n');
    const resolve = createArcadeUserIdResolver('email', lookup);
    await expect(resolve({ teamId: 'T1', userId: 'U42' })).resolves.toBe('alice.example@example.com');
    expect(lookup.calls).toEqual(['U42']);
  });

  it.each([undefined, ''])(
    "'email' throws IdentityUnavailableError when the lookup gives %j",
    async (email) => {
      const resolve = createArcadeUserIdResolver('email', lookupReturning(email));
      const result = resolve({ teamId: 'T1', userId: 'U1' });
      await expect(result).rejects.toBeInstanceOf(IdentityUnavailableError);
      await expect(result).rejects.toMatchObject({ code: 'identity_unavailable' });
    },
  );

  it("'email' never resolves to an empty Arcade user id (whitespace-only email)", async () => {
    // An empty user id would make every such person the same Arcade user.
    const resolve = createArcadeUserIdResolver('email', lookupReturning('  \t '));
    await expect(resolve({ teamId: 'T1', userId: 'U1' })).rejects.toBeInstanceOf(IdentityUnavailableError);
  });

  it("'email' passes the lookup's own failure on unchanged", async () => {
    const failure = new ServiceUnavailableError('Slack', 'HTTP 503');
    const resolve = createArcadeUserIdResolver('email', async () => {
      throw failure;
    });
    await expect(resolve({ teamId: 'T1', userId: 'U1' })).rejects.toBe(failure);
  });
});
