import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkReadYourWrites } from '../../src/check/index.ts';
import { TraceBuilder } from './trace-builder.ts';

const history = (devices = ['phone', 'ipad']) => new TraceBuilder(devices, { history: true });

describe('read-your-writes', () => {
  it('passes when every read after a write shows it, or what replaced it', () => {
    const b = history();
    const a = b.at(1000).create('phone', 't', 'Buy milk');
    b.read('phone', [a]);
    const c = b.after(2000).update('phone', 't', { title: 'Buy oat milk' });
    b.read('phone', [c]);
    const d = b.after(2000).update('ipad', 't', { title: 'Buy soy milk' });
    b.after(2000).read('phone', [d]); // a later write from elsewhere replaced it
    const result = checkReadYourWrites(b.events);
    expect(result.ok, JSON.stringify(result.violations)).toBe(true);
    expect(result.stats!.judged).toBeGreaterThan(0);
  });

  it('fails when a read after the write shows the older value', () => {
    const b = history();
    const a = b.at(1000).create('phone', 't', 'Buy milk');
    b.read('phone', [a]);
    const c = b.after(2000).update('phone', 't', { title: 'Buy oat milk' });
    const stale = b.read('phone', [a]);
    const result = checkReadYourWrites(b.events);
    expect(result.ok).toBe(false);
    expect(result.violations[0]).toMatchObject({ task: 't', writes: [c] });
    expect(result.violations[0]!.seqs).toContain(stale);
    expect(result.violations[0]!.message).toMatch(/older value/);
  });

  it('fails when a read misses a task the device created, across a restart too', () => {
    const b = history();
    b.at(1000).create('phone', 't', 'Buy milk');
    b.fault('crash', { device: 'phone' });
    b.after(10).fault('restart', { device: 'phone' });
    const missing = b.after(10).read('phone', []);
    const result = checkReadYourWrites(b.events);
    expect(result.ok).toBe(false);
    expect(result.violations[0]!.seqs).toContain(missing);
    expect(result.violations[0]!.message).toMatch(/misses task t/);
  });

  it('fails when a read shows a task live after the device deleted it; passes when another device deleted it', () => {
    const b = history();
    const a = b.at(1000).create('phone', 't', 'Buy milk');
    b.after(100).delete('phone', 't');
    b.after(100).read('phone', [a]);
    expect(checkReadYourWrites(b.events).violations[0]!.message).toMatch(/still shows task t live/);

    const ok = history();
    const x = ok.at(1000).create('phone', 't', 'Buy milk');
    ok.read('phone', [x]);
    ok.after(2000).delete('ipad', 't', { basis: x });
    ok.after(100).read('phone', []);
    expect(checkReadYourWrites(ok.events).ok).toBe(true);
  });

  it('lets a concurrent write of another device win without stamps (within the clocks\' margin)', () => {
    const b = history();
    const a = b.at(1000).create('phone', 't', 'Buy milk');
    b.after(10).update('ipad', 't', { title: 'ipad edit' }, { basis: a });
    const p = b.after(300).update('phone', 't', { title: 'phone edit' });
    const ipadWins = b.after(2000).read('phone', [{ task: 't', title: 'ipad edit' }]);
    expect(ipadWins).toBeGreaterThan(0);
    expect(checkReadYourWrites(b.events).ok, p).toBe(true);
  });

  it('does not let the write a device edited over replace its edit, whatever the stamps say', () => {
    const b = history();
    const a = b.at(1000).create('ipad', 't', 'Draft', { stamp: '9' });
    b.after(100).read('phone', [a]);
    b.after(100).update('phone', 't', { title: 'Draft (phone)' }, { stamp: '1' });
    b.after(100).read('phone', [a]);
    expect(checkReadYourWrites(b.events).ok).toBe(false);
  });

  it('holds for any read order that always shows the latest own write (property)', () => {
    fc.assert(fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 30 }), fc.nat(29), (readAfter, staleAt) => {
      const b = history(['phone']);
      const writes = [b.at(1000).create('phone', 't', 'w0')];
      let stale = false;
      readAfter.forEach((read, i) => {
        writes.push(b.after(1500).update('phone', 't', { title: `w${i + 1}` }));
        if (!read) return;
        // One read may be stale: it shows the write before the latest.
        const shown = i === staleAt ? writes[writes.length - 2]! : writes[writes.length - 1]!;
        stale ||= i === staleAt;
        b.after(1).read('phone', [shown]);
      });
      expect(checkReadYourWrites(b.events).ok).toBe(!stale);
    }));
  });
});
