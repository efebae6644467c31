import { createRequire } from "node:module";
import type Koffi from "koffi";

/**
 * ristretto255 from libdecaf, the C library of Mike Hamburg (who designed
 * Decaf and co-designed Ristretto; Debian and Ubuntu package it as
 * `libdecaf0`), called through koffi (ADR 0048, amending 0026). Only the
 * server and the scripts use it, and only to check public data: ballots'
 * proofs and their sums. Nothing secret passes through it.
 *
 * Why: libsodium's API decodes and encodes its points at every call and has
 * no double-scalar multiplication. libdecaf keeps points decoded and computes
 * `s·G − c·A` in one variable-time pass (what signature verification uses),
 * so a ballot's check costs a quarter of libsodium's WebAssembly.
 *
 * Every buffer that reaches C is one this module allocated, of the size the
 * C type has (points 256 bytes, scalars 32), in native memory aligned to 64
 * bytes; inputs are copied in after their length is checked. A point or a
 * scalar is a `Uint8Array` view of that memory, valid until `release()` of
 * the frame it was taken in.
 *
 * `GONGZHI_NATIVE_CRYPTO`: `off` never loads it; `required` makes the
 * server refuse to start without it (`requireDecafIfAsked`, CI: so the fast
 * path is the one tested); otherwise it is used when present, and the callers
 * fall back to libsodium and @noble. `decaf()` itself never throws.
 */
export type DecafPoint = Uint8Array & { readonly __point: true };
export type DecafScalar = Uint8Array & { readonly __scalar: true };

const POINT_BYTES = 256; // struct decaf_255_point_s: four field elements of 40 bytes, each aligned to 32
const SLOTS_PER_CHUNK = 1024;
const SUCCESS = -1; // decaf_error_t DECAF_SUCCESS
const TRUE = -1n; // decaf_bool_t DECAF_TRUE (all ones)

export interface Decaf {
  /** Where the next frame's slots start; `release(mark())` frees every slot taken since. */
  mark(): number;
  release(mark: number): void;
  /** A canonical ristretto255 encoding (the identity allowed, as @noble allows it), or null. */
  point(bytes: Uint8Array): DecafPoint | null;
  /**
   * As `point`, decoded once and kept for the thread's life (an election key,
   * a small multiple of G), up to 1 024 of them; past that, decoded into the
   * caller's frame like any point (so call it inside a frame).
   */
  constant(bytes: Uint8Array): DecafPoint | null;
  /** A slot for `decodeInto` and `addInto`, which write in place (adding up thousands of points in a few slots). */
  slot(): DecafPoint;
  decodeInto(out: DecafPoint, bytes: Uint8Array): boolean;
  /** out = p + q; out must be neither. */
  addInto(out: DecafPoint, p: DecafPoint, q: DecafPoint): void;
  /** A canonical little-endian scalar (below the group order), or null. */
  scalar(bytesLE: Uint8Array): DecafScalar | null;
  encode(p: DecafPoint): Uint8Array;
  negate(s: DecafScalar): DecafScalar;
  add(p: DecafPoint, q: DecafPoint): DecafPoint;
  sub(p: DecafPoint, q: DecafPoint): DecafPoint;
  /** s·P (constant time). */
  mul(p: DecafPoint, s: DecafScalar): DecafPoint;
  /** s1·G + s2·P, variable time: only for public values. */
  baseAndMul(s1: DecafScalar, p: DecafPoint, s2: DecafScalar): DecafPoint;
  /** s1·P1 + s2·P2 in one pass. */
  doubleMul(p1: DecafPoint, s1: DecafScalar, p2: DecafPoint, s2: DecafScalar): DecafPoint;
}

const LIBRARIES = ["libdecaf.so.0", "libdecaf.so", "libdecaf.0.dylib", "libdecaf.dylib"];

function open(): Decaf {
  // decaf_bool_t is a 64-bit word where libdecaf uses 64-bit words, as on these; elsewhere we do not call it.
  if (process.arch !== "x64" && process.arch !== "arm64") throw new Error(`libdecaf: not bound on ${process.arch}`);
  // Loaded here, not imported: koffi is an optional dependency, and a platform it has no build for falls back like a machine without libdecaf.
  const koffi = createRequire(import.meta.url)("koffi") as typeof Koffi;
  let lib: ReturnType<typeof koffi.load> | null = null;
  const errors: string[] = [];
  for (const name of LIBRARIES) {
    try {
      lib = koffi.load(name);
      break;
    } catch (error) {
      errors.push(`${name}: ${(error as Error).message}`);
    }
  }
  if (!lib) throw new Error(`libdecaf not found (${errors.join("; ")})`);
  const fn = {
    decode: lib.func("int decaf_255_point_decode(void *pt, const uint8_t *ser, uint64_t allow_identity)"),
    encode: lib.func("void decaf_255_point_encode(uint8_t *ser, const void *pt)"),
    scalarDecode: lib.func("int decaf_255_scalar_decode(void *s, const uint8_t *ser)"),
    scalarSub: lib.func("void decaf_255_scalar_sub(void *out, const void *a, const void *b)"),
    add: lib.func("void decaf_255_point_add(void *out, const void *a, const void *b)"),
    sub: lib.func("void decaf_255_point_sub(void *out, const void *a, const void *b)"),
    mul: lib.func("void decaf_255_point_scalarmul(void *out, const void *base, const void *s)"),
    doubleMul: lib.func("void decaf_255_point_double_scalarmul(void *out, const void *b1, const void *s1, const void *b2, const void *s2)"),
    baseAndMul: lib.func("void decaf_255_base_double_scalarmul_non_secret(void *out, const void *s1, const void *b2, const void *s2)"),
  };

  // Slots of native memory, in chunks that never move; each slot's view is made once.
  const slots: Uint8Array[] = [];
  let top = 0;
  const grow = () => {
    const bytes = SLOTS_PER_CHUNK * POINT_BYTES + 64;
    const memory = koffi.alloc("uint8_t", bytes);
    const skip = Number((64n - (koffi.address(memory) % 64n)) % 64n);
    const buffer = koffi.view(memory, bytes);
    for (let k = 0; k < SLOTS_PER_CHUNK; k++) slots.push(new Uint8Array(buffer, skip + k * POINT_BYTES, POINT_BYTES));
  };
  const take = () => {
    if (top === slots.length) grow();
    return slots[top++]!;
  };
  const point = () => take() as DecafPoint;
  const scalar = () => take() as DecafScalar;
  const input = take(); // 32-byte inputs are copied here first: C reads exactly 32 bytes
  const zero = scalar();
  if (fn.scalarDecode(zero, new Uint8Array(32)) !== SUCCESS) throw new Error("libdecaf: scalar 0 refused");
  const permanent = top;
  // Constants have their own chunk, never released; past its size they are decoded in the frame like any point.
  const constants = new Map<string, DecafPoint>();
  const constantSlots = (() => {
    const before = slots.length;
    grow();
    return slots.splice(before, SLOTS_PER_CHUNK) as DecafPoint[];
  })();

  const copyIn = (bytes: Uint8Array) => {
    if (!(bytes instanceof Uint8Array) || bytes.length !== 32) throw new Error("libdecaf: 32 bytes expected");
    input.set(bytes);
    return input.subarray(0, 32);
  };
  return {
    mark: () => top,
    release: (mark) => {
      top = Math.max(permanent, Math.min(top, mark));
    },
    point: (bytes) => {
      const p = point();
      return fn.decode(p, copyIn(bytes), TRUE) === SUCCESS ? p : null;
    },
    constant: (bytes) => {
      const key = Buffer.from(bytes).toString("hex");
      const known = constants.get(key);
      if (known) return known;
      const spare = constantSlots[constants.size];
      const p = spare ?? point();
      if (fn.decode(p, copyIn(bytes), TRUE) !== SUCCESS) return null;
      if (spare) constants.set(key, p);
      return p;
    },
    slot: point,
    decodeInto: (out, bytes) => fn.decode(out, copyIn(bytes), TRUE) === SUCCESS,
    addInto: (out, p, q) => {
      if (out === p || out === q) throw new Error("libdecaf: addInto's output must be a third slot");
      fn.add(out, p, q);
    },
    scalar: (bytes) => {
      const s = scalar();
      return fn.scalarDecode(s, copyIn(bytes)) === SUCCESS ? s : null;
    },
    encode: (p) => {
      fn.encode(input, p);
      return input.slice(0, 32);
    },
    negate: (s) => {
      const out = scalar();
      fn.scalarSub(out, zero, s);
      return out;
    },
    add: (p, q) => {
      const out = point();
      fn.add(out, p, q);
      return out;
    },
    sub: (p, q) => {
      const out = point();
      fn.sub(out, p, q);
      return out;
    },
    mul: (p, s) => {
      const out = point();
      fn.mul(out, p, s);
      return out;
    },
    baseAndMul: (s1, p, s2) => {
      const out = point();
      fn.baseAndMul(out, s1, p, s2);
      return out;
    },
    doubleMul: (p1, s1, p2, s2) => {
      const out = point();
      fn.doubleMul(out, p1, s1, p2, s2);
      return out;
    },
  };
}

let loaded: Decaf | null | undefined;
let failure: string | null = null;
/** libdecaf in this thread, or null when it is absent or turned off (see the file's comment). Tried once; never throws. */
export function decaf(): Decaf | null {
  if (loaded !== undefined) return loaded;
  if ((process.env.GONGZHI_NATIVE_CRYPTO ?? "auto") === "off") return (loaded = null);
  try {
    loaded = open();
  } catch (error) {
    failure = (error as Error).message;
    loaded = null;
  }
  return loaded;
}

/** With GONGZHI_NATIVE_CRYPTO=required, throws unless libdecaf loads here: the server calls it before it listens. */
export function requireDecafIfAsked(): void {
  if (process.env.GONGZHI_NATIVE_CRYPTO !== "required" || decaf()) return;
  throw new Error(`GONGZHI_NATIVE_CRYPTO=required, but libdecaf cannot be used: ${failure ?? "turned off"} (apt-get install libdecaf0)`);
}
