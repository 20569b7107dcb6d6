/**
 * A stand-in for a dependency the code under test must not use: reading any of its members
 * throws, naming `what`, so a test that wrongly reaches it fails instead of passing on a blank.
 */
export function unused<T extends object>(what: string): T { // eslint-disable-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the type stood in for
  return new Proxy({} as T, {
    get(_target, member) {
      throw new Error(`${what}.${String(member)} is not expected to be used by this test`);
    },
  });
}
