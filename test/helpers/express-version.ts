/**
 * True on the Express 4 pass: jest.express4.config.js maps `express` to the `express4` dev alias,
 * so both names give the same module there.
 */
export const onExpress4 = (require('express') as unknown) === (require('express4') as unknown);

type Block = (name: string, fn: () => void) => void;
type Test = (name: string, fn: jest.ProvidesCallback, timeout?: number) => void;

/**
 * `describe` and `it` for a behaviour only Express 5 has: on the Express 4 pass they are skipped
 * under a name that says what Express 4 does instead, so the report shows why.
 * @example onlyOnExpress5('Express 4 ignores async errors').it('answers 500 for a rejection', fn)
 */
export function onlyOnExpress5(why: string): { describe: Block; it: Test } {
  if (!onExpress4) return { describe, it };
  const named = (name: string) => `${name} [Express 5 only: ${why}]`;
  return {
    describe: (name, fn) => describe.skip(named(name), fn),
    it: (name, fn, timeout) => it.skip(named(name), fn, timeout),
  };
}
