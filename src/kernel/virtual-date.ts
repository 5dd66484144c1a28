/**
 * A `Date` constructor whose notion of "now" is given: `new Date()`, `Date()` and
 * `Date.now()` read `now`; every other use (`new Date(ms)`, `Date.parse`, `Date.UTC`,
 * `instanceof Date`, subclassing) is the real Date's, since the prototype is shared.
 */
export function virtualDate(RealDate: DateConstructor, now: () => number): DateConstructor {
  function VirtualDate(this: unknown, ...args: unknown[]): unknown {
    // Called without `new`, Date returns the current time as a string.
    if (new.target === undefined) return new RealDate(now()).toString();
    return Reflect.construct(RealDate, args.length === 0 ? [now()] : args, new.target);
  }
  VirtualDate.prototype = RealDate.prototype;
  VirtualDate.now = now;
  VirtualDate.parse = RealDate.parse;
  VirtualDate.UTC = RealDate.UTC;
  return VirtualDate as unknown as DateConstructor;
}
