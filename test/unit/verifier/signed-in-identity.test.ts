import { arcadeUserIdFromSignIn } from '../../../src/verifier/signed-in-identity';

const USER = { userId: 'U0456EFGH', teamId: 'T0123ABCD', emailVerified: true, email: 'Alice@Example.com' };

describe('arcadeUserIdFromSignIn', () => {
  it('matches what /inbox computes from a slash command', () => {
    expect(arcadeUserIdFromSignIn(USER, 'slack')).toEqual({
      kind: 'ok',
      arcadeUserId: 'slack:T0123ABCD:U0456EFGH',
    });
  });

  it('uses the Enterprise Grid org id when there is one', () => {
    expect(arcadeUserIdFromSignIn({ ...USER, enterpriseId: 'E0ABC' }, 'slack')).toEqual({
      kind: 'ok',
      arcadeUserId: 'slack:E0ABC:U0456EFGH',
    });
  });

  it('uses the verified email, lowercased, with ARCADE_USER_ID_SOURCE=email', () => {
    expect(arcadeUserIdFromSignIn(USER, 'email')).toEqual({ kind: 'ok', arcadeUserId: 'alice@example.com' });
  });

  it.each([
    ['an unverified email', { ...USER, emailVerified: false }],
    ['no email', { userId: 'U1', teamId: 'T1', emailVerified: true }],
  ])('proves nothing with %s', (_case, user) => {
    expect(arcadeUserIdFromSignIn(user, 'email')).toEqual({ kind: 'unproven', reason: 'email_unverified' });
  });
});
