import fc from "fast-check";

/** The choices of one ballot: distinct option indexes, none to all of them. */
export const choicesOf = (options: number) => fc.uniqueArray(fc.integer({ min: 0, max: options - 1 }), { maxLength: options });

/**
 * A vote of 2 to 4 options with an approval limit k (1 to all of them), and
 * whatever else `more` draws for that many options (ballots, a field to forge).
 * The property tests of the ballot crypto share it (reference and fast checks).
 */
export function optionsAnd<More extends object>(more: (options: number) => { [K in keyof More]: fc.Arbitrary<More[K]> }): fc.Arbitrary<{ options: number; k: number } & More> {
  return fc.integer({ min: 2, max: 4 }).chain((options) =>
    fc.tuple(fc.integer({ min: 1, max: options }), fc.record(more(options))).map(([k, drawn]) => ({ options, k, ...(drawn as More) })),
  );
}
