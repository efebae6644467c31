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
  voteContext,
  type Ciphertext,
  type Hex,
  type Partial,
  type Sealed,
  type Vault,
} from "./crypto";

/**
 * A teller's steps of the key ceremony (shared/crypto.md §1), run in the
 * teller's own browser. The server only relays what these return: public
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
export async function tellerStart(voteId: number, t: number, passphrase: string, cost: Cost = VAULT_COST) {
  const transportSecret = randomScalar();
  const dealing = makeDealing(t);
  const setupVault = await lockVault(
    voteContext(voteId),
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
  voteId: number,
  index: number,
  passphrase: string,
  setupVault: Vault,
  peers: { index: number; transportKey: Hex }[],
) {
  const context = voteContext(voteId);
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
  voteId: number,
  index: number,
  passphrase: string,
  setupVault: Vault,
  received: { from: number; sealed: Sealed }[],
  commitments: { index: number; commitments: Hex[] }[],
  cost: Cost = VAULT_COST,
) {
  const context = voteContext(voteId);
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

/** At closing: unlock x_j and publish D_j = x_j·A for each sum, with proofs. */
export async function tellerUnlock(voteId: number, passphrase: string, shareVault: Vault, sums: Ciphertext[]): Promise<Partial> {
  const { share } = await openVault<ShareSecrets>(voteContext(voteId), passphrase, shareVault);
  return partialDecrypt(voteId, scalarFrom(share), sums);
}
