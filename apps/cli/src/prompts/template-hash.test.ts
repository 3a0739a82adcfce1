import { describe, expect, it } from 'vitest';
import { canonicalJson, templateHash } from './template-hash.js';

describe('templateHash', () => {
  it('does not depend on key order, and changes with the content', () => {
    const a = templateHash({ template: 'Hi {{name}}', defaults: { a: 1, b: [1, { y: 2, x: 1 }] } });
    const b = templateHash({ defaults: { b: [1, { x: 1, y: 2 }], a: 1 }, template: 'Hi {{name}}' });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(templateHash({ template: 'Hi {{ name }}' })).not.toBe(templateHash({ template: 'Hi {{name}}' }));
  });

  it('writes canonical JSON', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], c: undefined })).toBe('{"a":[true,null,"x"],"b":1}');
  });
});
