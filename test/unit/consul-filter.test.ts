import { describe, expect, it } from 'vitest';
import { filterOf } from '../../src/agent/http/consul-filter.js';

const rows = [
  { Node: { Node: 'n1', Meta: { zone: 'a' } }, Service: { ID: 'web-1', Service: 'web', Tags: ['v1', 'primary'], Port: 8080, Meta: { team: 'edge' } }, Checks: [] },
  { Node: { Node: 'n2', Meta: { zone: 'b' } }, Service: { ID: 'web-2', Service: 'web', Tags: ['v2'], Port: 9090, Meta: {} }, Checks: [{ Status: 'critical' }] },
];
const ids = (expr: string): string[] => rows.filter(filterOf(expr)!).map((r) => r.Service.ID);

describe("Consul's ?filter expressions", () => {
  it('selects by equality, membership, emptiness, regular expressions, with and/or/not and parentheses', () => {
    expect(ids('Service.Port == 8080')).toEqual(['web-1']);
    expect(ids('Service.Port != "8080"')).toEqual(['web-2']);
    expect(ids('Service.Tags contains "primary"')).toEqual(['web-1']);
    expect(ids('v2 in Service.Tags')).toEqual(['web-2']);
    expect(ids('"v2" not in Service.Tags')).toEqual(['web-1']);
    expect(ids('Service.Meta.team == edge')).toEqual(['web-1']);
    expect(ids('Service.Meta is empty')).toEqual(['web-2']);
    expect(ids('Checks is not empty')).toEqual(['web-2']);
    expect(ids('Node.Meta["zone"] == b or Service.ID matches "-1$"')).toEqual(['web-1', 'web-2']);
    expect(ids('not (Node.Node == n1) and Service.Service == web')).toEqual(['web-2']);
    expect(ids('service.port == 9090')).toEqual(['web-2']);
    expect(ids('Service.Missing == x')).toEqual([]);
    expect(ids('Service.ID not matches `^web-2`')).toEqual(['web-1']);
    expect(filterOf('')).toBeUndefined();
  });

  it('refuses a malformed expression with a 400 naming where', () => {
    for (const bad of ['Service.Port ==', 'Service.Port = 1', '(Service.Port == 1', 'Service.Port lt 3', 'Service.ID matches "("', '"unterminated', 'a.b is full']) {
      expect(() => filterOf(bad), bad).toThrow(expect.objectContaining({ status: 400 }) as Error);
    }
    expect(() => filterOf(`${'('.repeat(40)}a == b${')'.repeat(40)}`)).toThrow(/nested deeper/);
    expect(() => filterOf('a == b and '.repeat(500))).toThrow(/longer than/);
  });
});
