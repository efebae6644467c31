import {
  CryptoError,
  evalPolynomial,
  lockVault,
  makeDealing,
  openShare,
  openVault,
  partialDecrypt,
  publicKeyOf,
  q,
  randomScalar,
  scalarFrom,
  scalarHex,
  sealShare,
  shareMatches,
  VAULT_COST,
  contextOf,
  type Ciphertext,
  type Hex,
  type Partial,
  type Scope,
  type Sealed,
  type Vault,
} from "./crypto";

/**
 * A teller's steps of the key ceremony (shared/crypto.md §1), run in the
 * teller's own browser. The same steps make a call for bids' opening key
 * (§5): `scope` is a vote's id (its context `vote:<id>`, as ever) or a
 * context string (`project:<id>`), bound into every hash, vault and share. The server only relays what these return: public
 * halves, commitments, shares sealed to another teller, and vaults locked
 * under the teller's passphrase. Each step reopens the setup vault with the
 * passphrase, so a teller can continue from any phone.
 */
interface SetupSecrets {
  transportSecret: Hex;
  coefficients: Hex[];
}
interface ShareSecrets {
  share: Hex;
}
type Cost = typeof VAULT_COST;

/** Step 1: a transport key pair and a random polynomial; publish the public halves, keep the rest locked. */
export async function tellerStart(scope: Scope, t: number, passphrase: string, cost: Cost = VAULT_COST) {
  const transportSecret = randomScalar();
  const dealing = makeDealing(t);
  const setupVault = await lockVault(
    contextOf(scope),
    passphrase,
    {
      transportSecret: scalarHex(transportSecret),
      coefficients: dealing.coefficients.map(scalarHex),
    } satisfies SetupSecrets,
    cost,
  );
  return { transportKey: publicKeyOf(transportSecret), commitments: dealing.commitments, setupVault };
}

/** Step 2 (once every teller has a transport key): f_i(j) sealed to each teller j, oneself included. */
export async function tellerDeal(
  scope: Scope,
  index: number,
  passphrase: string,
  setupVault: Vault,
  peers: { index: number; transportKey: Hex }[],
) {
  const context = contextOf(scope);
  const secrets = await openVault<SetupSecrets>(context, passphrase, setupVault);
  const coefficients = secrets.coefficients.map(scalarFrom);
  return Promise.all(
    peers.map(async (p) => ({
      to: p.index,
      sealed: await sealShare(context, p.transportKey, index, p.index, evalPolynomial(coefficients, p.index)),
    })),
  );
}

export class Complaint extends CryptoError {
  constructor(readonly against: number) {
    super(`the share from teller ${against} does not match their commitments`);
  }
}

/**
 * Step 3 (once every teller has dealt): open and check each share against its
 * dealer's commitments (a Complaint names a bad one), add them up to x_j, and
 * lock x_j under the passphrase. Returns the share vault and X_j = x_j·G.
 */
export async function tellerConfirm(
  scope: Scope,
  index: number,
  passphrase: string,
  setupVault: Vault,
  received: { from: number; sealed: Sealed }[],
  commitments: { index: number; commitments: Hex[] }[],
  cost: Cost = VAULT_COST,
) {
  const context = contextOf(scope);
  const secrets = await openVault<SetupSecrets>(context, passphrase, setupVault);
  const transportSecret = scalarFrom(secrets.transportSecret);
  let x = 0n;
  for (const dealer of commitments) {
    const sealed = received.find((r) => r.from === dealer.index);
    if (!sealed) throw new Complaint(dealer.index);
    let share: bigint;
    try {
      share = await openShare(context, transportSecret, dealer.index, index, sealed.sealed);
    } catch {
      throw new Complaint(dealer.index);
    }
    if (!shareMatches(share, dealer.commitments, index)) throw new Complaint(dealer.index);
    x = (x + share) % q;
  }
  const shareVault = await lockVault(context, passphrase, { share: scalarHex(x) } satisfies ShareSecrets, cost);
  return { shareVault, verificationKey: publicKeyOf(x) };
}

/** Open the share vault: x_j, for the step that uses it (a partial decryption, a bid's opening). */
export async function unlockShare(scope: Scope, passphrase: string, shareVault: Vault): Promise<bigint> {
  const { share } = await openVault<ShareSecrets>(contextOf(scope), passphrase, shareVault);
  return scalarFrom(share);
}

/** At closing: unlock x_j and publish D_j = x_j·A for each sum, with proofs. */
export async function tellerUnlock(scope: Scope, passphrase: string, shareVault: Vault, sums: Ciphertext[]): Promise<Partial> {
  return partialDecrypt(scope, await unlockShare(scope, passphrase, shareVault), sums);
}
