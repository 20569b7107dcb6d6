/**
 * The plain-data shape of a client-node model class (`V1Job`, `V1Pod`, ...): the same fields,
 * as an object type, so manifests can be written as literals and passed where the class is
 * expected (the classes carry no behaviour beyond their fields).
 */
export type Plain<T> = T extends Date
  ? T
  : T extends readonly (infer U)[]
    ? Plain<U>[]
    : T extends object
      ? { [K in keyof T]: Plain<T[K]> }
      : T;
