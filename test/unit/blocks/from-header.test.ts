import { parseFrom } from '../../../src/blocks/from-header';

describe('parseFrom', () => {
  it.each([
    ['"Alice Example" <alice@example.com>', { name: 'Alice Example', address: 'alice@example.com' }],
    ['Alice <a@x>', { name: 'Alice', address: 'a@x' }],
    ['a@x', { address: 'a@x' }],
    ['<a@x>', { address: 'a@x' }],
    ['  "Alice"   <a@x>  ', { name: 'Alice', address: 'a@x' }],
    ['"Smith, \\"Bob\\"" <bob@x>', { name: 'Smith, "Bob"', address: 'bob@x' }],
    ['"back\\\\slash" <b@x>', { name: 'back\\slash', address: 'b@x' }],
    [
      '"Eve <ceo@corp.example>" <eve@evil.example>',
      { name: 'Eve <ceo@corp.example>', address: 'eve@evil.example' },
    ],
    ["'Carol' <c@x>", { name: 'Carol', address: 'c@x' }],
    ['bob@x (Bob Builder)', { name: 'Bob Builder', address: 'bob@x' }],
    ['Mail Delivery Subsystem', { name: 'Mail Delivery Subsystem' }],
    ['"Only Name"', { name: 'Only Name' }],
    ['"" <a@x>', { address: 'a@x' }],
    ['Name <>', { name: 'Name' }],
    ['', {}],
    ['   ', {}],
  ])('parses %j', (raw, expected) => {
    expect(parseFrom(raw)).toEqual(expected);
  });
});
