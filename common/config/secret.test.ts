import { describe, expect, it } from 'vitest';
import { findSecrets, Secret, SecretScrubber } from './secret.js';

describe('SecretScrubber', () => {
  it('replaces every configured secret value, longest first, and leaves the rest of the message', () => {
    const scrubber = new SecretScrubber([new Secret('ops-community'), new Secret('ops'), new Secret('')]);
    expect(scrubber.scrub("Community 'ops-community' in request does not match community 'ops' in response")).toBe(
      "Community '<secret>' in request does not match community '<secret>' in response",
    );
    expect(scrubber.scrub('nothing secret here')).toBe('nothing secret here');
  });

  it('finds every Secret in a configuration-shaped value, through arrays, maps and cycles', () => {
    const a = new Secret('a1');
    const b = new Secret('b2');
    const cyclic: Record<string, unknown> = { devices: [{ snmp: { community: a } }], extra: new Map([['k', { password: b }]]) };
    cyclic.self = cyclic;
    expect(findSecrets(cyclic).map((s) => s.reveal()).sort()).toEqual(['a1', 'b2']);
  });
});
