import { createHmac } from 'node:crypto';
import { createSigner } from '../../../src/verifier/signed-token';

const SECRET = 's'.repeat(32);

describe('createSigner', () => {
  const signer = createSigner(SECRET);

  it('returns the payload of a token it signed for the same purpose', () => {
    const token = signer.sign('state', { a: 'attempt', e: 123 });
    expect(token).toMatch(/^[\w-]+\.[\w-]{43}$/);
    expect(signer.verify('state', token)).toEqual({ a: 'attempt', e: 123 });
  });

  it('refuses a token signed for another purpose (a state is not a cookie)', () => {
    expect(signer.verify('session', signer.sign('state', { a: 'x' }))).toBeUndefined();
  });

  it('refuses a token signed with another secret', () => {
    expect(createSigner('t'.repeat(32)).verify('state', signer.sign('state', { a: 'x' }))).toBeUndefined();
  });

  it('refuses any change to the payload', () => {
    const [, signature] = signer.sign('state', { a: 'mine' }).split('.');
    const forged = Buffer.from(JSON.stringify({ a: 'theirs' })).toString('base64url');
    expect(signer.verify('state', `${forged}.${signature}`)).toBeUndefined();
  });

  it('refuses every other spelling of the signature, even one that decodes to the same bytes', () => {
    const token = signer.sign('state', { a: 'x' });
    const last = token.at(-1) ?? '';
    // The last base64url character of a 32-byte MAC carries 2 unused bits: a sloppy decoder accepts both.
    const sibling = String.fromCharCode(last.charCodeAt(0) ^ 1);
    expect(signer.verify('state', `${token.slice(0, -1)}${sibling}`)).toBeUndefined();
    expect(signer.verify('state', `${token}=`)).toBeUndefined();
  });

  it.each(['', 'x', 'a.b.c', '.', 'e30.', `${'a'.repeat(5000)}.b`])(
    'refuses the malformed token %j',
    (token) => {
      expect(signer.verify('state', token)).toBeUndefined();
    },
  );

  it('refuses a correctly signed payload that is not an object', () => {
    const body = Buffer.from('[1,2]').toString('base64url');
    const mac = createHmac('sha256', SECRET).update(`state.${body}`).digest('base64url');
    expect(signer.verify('state', `${body}.${mac}`)).toBeUndefined();
  });
});
