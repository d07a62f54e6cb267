/** The verifier's confirm_user call through the real Arcade SDK, against both error shapes Arcade uses. */
import Arcade from '@arcadeai/arcadejs';
import { createUserConfirmer } from '../../../src/auth/confirm-user';
import { type ArcadeStandIn, startArcadeStandIn } from '../../../src/stand-ins/arcade-stand-in';

const MALLORY = 'slack:T0001:U0MALLORY';
const BOB = 'slack:T0001:U0BOB';

describe.each(['docs', 'openapi'] as const)('confirm_user with %s-shaped 400 bodies', (shape) => {
  let arcade: ArcadeStandIn;
  let client: Arcade;

  beforeEach(async () => {
    arcade = await startArcadeStandIn({ confirmUserErrors: shape });
    arcade.verifierUrl = 'http://127.0.0.1:9/verify';
    client = new Arcade({ apiKey: arcade.apiKey, baseURL: arcade.baseUrl, maxRetries: 0 });
  });
  afterEach(() => arcade.close());

  /** Mallory's flow after "allow" in some browser: the flow id Arcade hands the verifier. */
  async function awaitingVerification(): Promise<string> {
    const { url = '' } = await client.auth.start(MALLORY, 'google', { scopes: ['gmail.readonly'] });
    const allowed = await fetch(`${url}?decision=allow`, { redirect: 'manual' });
    await allowed.text();
    return new URL(allowed.headers.get('location') ?? '').searchParams.get('flow_id') ?? '';
  }

  it('recognises a user mismatch, and leaves the flow awaiting verification', async () => {
    const flowId = await awaitingVerification();
    expect(await createUserConfirmer(client).confirm(flowId, BOB)).toEqual({ kind: 'user_mismatch' });
    expect(arcade.calls.at(-1)).toMatchObject({
      path: '/v1/auth/confirm_user',
      body: { flow_id: flowId, user_id: BOB },
    });
    expect(arcade.pendingFlow(MALLORY)?.verification).toBe('awaiting');
  });

  it('tells a flow past its verification window from a mismatch', async () => {
    const flowId = await awaitingVerification();
    arcade.expireVerification(flowId);
    expect(await createUserConfirmer(client).confirm(flowId, MALLORY)).toEqual({ kind: 'flow_gone' });
  });

  it('confirms the user the flow was started for', async () => {
    const flowId = await awaitingVerification();
    expect(await createUserConfirmer(client).confirm(flowId, MALLORY)).toMatchObject({ kind: 'confirmed' });
  });
});
