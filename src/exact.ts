// Exact request types. openapi-fetch infers each call's `Init` from the argument, so TypeScript's
// excess-property check never runs and a misspelled optional field (`closing_notes`, `filtr`)
// compiles (openapi-ts/openapi-typescript#1769, #2329). The client's methods keep openapi-fetch's
// signatures and add one constraint: every key of `body` and of `params.query/path/header/cookie`
// that the operation does not know, at any depth, is typed as a value nothing can be. Only types from openapi-fetch's
// public exports are used, so the published declarations need nothing else.
import type { Client, ClientPathsWithMethod, FetchResponse, MaybeOptionalInit, Middleware } from 'openapi-fetch';

type Method = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';
type Media = `${string}/${string}`;

declare const unknownFieldsAllowed: unique symbol;
declare const unknownKey: unique symbol;
/**
 * What an unknown key's value must be: nothing can be, and the compiler's message names the key and
 * the ones the operation knows: `Type 'string' is not assignable to type 'UnknownKey<"closing_notes", "closing_note" | "status">'`.
 */
export interface UnknownKey<Key, Known> {
  readonly [unknownKey]: [Key, Known];
}
/** An object passed through `withUnknownFields`: its keys (and those below it) are not checked. */
export interface UnknownFieldsAllowed {
  readonly [unknownFieldsAllowed]: true;
}

type Primitive = string | number | bigint | boolean | symbol | null | undefined;
/** Values whose keys are not the API's fields (a form, a file, a date): left as they are. */
type Opaque =
  | Primitive
  | Blob
  | FormData
  | URLSearchParams
  | ArrayBuffer
  | ArrayBufferView
  | ReadableStream
  | Date
  | ((...args: never[]) => unknown);

/** Every key of any member of a union (a `oneOf` body knows the keys of all its forms). */
type KeysOfUnion<T> = T extends unknown ? keyof T : never;
/** The type of `K` in the union's members that type it (a form that forbids `K` with `not: {}` types it `unknown`). */
type KnownValue<T, K extends PropertyKey> = T extends unknown
  ? K extends keyof T
    ? unknown extends T[K]
      ? never
      : T[K]
    : never
  : never;
type ValueOfUnion<T, K extends PropertyKey> = [KnownValue<T, K>] extends [never] ? unknown : KnownValue<T, K>;
type ItemOf<Shape> = NonNullable<Shape> extends readonly (infer Item)[] ? Item : unknown;

/**
 * `Given` with every key that `Shape` does not know typed `UnknownKey`, at every depth. A shape with a
 * string index signature (`additionalProperties`, custom fields `opt_N`) knows every key.
 */
export type NoExcess<Shape, Given> = unknown extends Shape
  ? Given
  : Given extends Opaque | UnknownFieldsAllowed
    ? Given
    : NoExcessObject<Shape, Given>;
type NoExcessObject<Shape, Given> = Given extends readonly unknown[]
  ? { [I in keyof Given]: NoExcess<ItemOf<Shape>, Given[I]> }
  : {
      [K in keyof Given]: K extends KeysOfUnion<NonNullable<Shape>>
        ? NoExcess<ValueOfUnion<NonNullable<Shape>, K>, Given[K]>
        : string extends KeysOfUnion<NonNullable<Shape>>
          ? Given[K]
          : UnknownKey<K, KeysOfUnion<NonNullable<Shape>>>;
    };

/** What a call's `Init` must also satisfy: its `params` and `body` hold only keys the operation knows. */
type ExactInit<Expected, Init> = {
  [K in keyof Init]: K extends 'params' | 'body'
    ? NoExcess<
        Expected extends Record<K, unknown> ? Expected[K] : Expected extends Partial<Record<K, infer V>> ? V : never,
        Init[K]
      >
    : Init[K];
};

/**
 * When inference gives up (it does for a body holding a list of objects with literal fields) `Init`
 * is the expected type itself, and TypeScript's own excess-property check of the literal applies;
 * intersecting then would only hide it.
 */
type Exactness<Expected, Init> = [Expected] extends [Init] ? unknown : NoInfer<ExactInit<Expected, Init>>;

type RequiredKeysOf<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
// As openapi-fetch's own InitParam: optional when nothing in it is required; other top-level keys pass.
type InitParam<Expected, Init> = [RequiredKeysOf<Init>] extends [never]
  ? [(Init & Exactness<Expected, Init> & { [key: string]: unknown })?]
  : [Init & Exactness<Expected, Init> & { [key: string]: unknown }];

type InitOf<PathItem, M extends Method> = MaybeOptionalInit<PathItem, M & keyof PathItem>;

type ExactMethod<Paths extends {}, M extends Method> = <
  Path extends ClientPathsWithMethod<Client<Paths>, M>,
  Init extends InitOf<Paths[Path], M>,
>(
  url: Path,
  ...init: InitParam<InitOf<Paths[Path], M>, Init>
) => Promise<Answer<Paths[Path][M & keyof Paths[Path]], Init>>;

type ExactRequestMethod<Paths extends {}> = <
  M extends Method,
  Path extends ClientPathsWithMethod<Client<Paths>, M>,
  Init extends InitOf<Paths[Path], M>,
>(
  method: M,
  url: Path,
  ...init: InitParam<InitOf<Paths[Path], M>, Init>
) => Promise<Answer<Paths[Path][M & keyof Paths[Path]], Init>>;

type Answer<Operation, Init> =
  // biome-ignore lint/suspicious/noExplicitAny: matches any operation object, as openapi-fetch's own types do
  Operation extends Record<string | number, any> ? FetchResponse<Operation, Init, Media> : never;

/** openapi-fetch's client with exact request types; the same object underneath. */
export interface ExactClient<Paths extends {}> {
  request: ExactRequestMethod<Paths>;
  GET: ExactMethod<Paths, 'get'>;
  PUT: ExactMethod<Paths, 'put'>;
  POST: ExactMethod<Paths, 'post'>;
  DELETE: ExactMethod<Paths, 'delete'>;
  OPTIONS: ExactMethod<Paths, 'options'>;
  HEAD: ExactMethod<Paths, 'head'>;
  PATCH: ExactMethod<Paths, 'patch'>;
  TRACE: ExactMethod<Paths, 'trace'>;
  use(...middleware: Middleware[]): void;
  eject(...middleware: Middleware[]): void;
}
