import { useFetcher, useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { FieldErrors } from "~/components/form-parts";
import { useI18n } from "~/i18n/react";
import type { BidPage } from "~/modules/projects/bids.server";
import { BID_MIMES } from "~/modules/projects/bid-schemas";
import { MAX_BID_FILE_BYTES, MAX_BID_FILE_MB, MAX_BID_FILES } from "~/modules/projects/seal";
import { BidReceipt } from "./bid-receipt";

/** What the bid route's action answers. */
export type BidReply = { ok: true; kind: "submit" | "revise" | "withdraw"; revision: number; receipt: string } | { ok: false; error: string; field?: string };

interface Milestone {
  title: string;
  due: string;
  share: string;
}
interface Draft {
  price: string;
  plan: string;
  team: string;
  experience: string;
  milestones: Milestone[];
}
const emptyDraft = (): Draft => ({ price: "", plan: "", team: "", experience: "", milestones: [{ title: "", due: "", share: "100" }] });
const draftKey = (projectId: number, orgId: number) => `gongzhi:bid-draft:${projectId}:${orgId}`;
const newKey = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
const MB = MAX_BID_FILE_MB;

/**
 * The bid form (ADR 0042). What is typed stays in this browser: kept as a
 * draft in localStorage (attachments are not: they are chosen again), then
 * checked, sealed under the committee's key and posted as ciphertext only.
 * The button stays disabled until the scripts run: without them nothing can
 * be sealed. The fields have no names either, so even a native submit would
 * carry none of what was typed.
 */
export function BidForm({ page }: { page: BidPage }) {
  const { t, tx, date } = useI18n();
  const fetcher = useFetcher<BidReply>();
  const revalidator = useRevalidator();
  const orgs = page.organizations.filter((o) => o.mayBid);
  const [orgId, setOrgId] = useState(orgs[0]?.id ?? page.organizations[0]!.id);
  const org = page.organizations.find((o) => o.id === orgId)!;
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [restored, setRestored] = useState(false);
  const [ready, setReady] = useState(false);
  const [sealing, setSealing] = useState(false);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  // One key per submission until it is answered: a retry or a double click is the same submission.
  const clientKey = useRef<string>("");
  const files = useRef<HTMLInputElement>(null);

  useEffect(() => setReady(true), []);
  // Restore this organisation's draft from this device.
  useEffect(() => {
    const saved = window.localStorage.getItem(draftKey(page.project.id, orgId));
    if (saved) {
      try {
        setDraft({ ...emptyDraft(), ...(JSON.parse(saved) as Draft) });
        setRestored(true);
        return;
      } catch {
        /* a damaged draft is dropped */
      }
    }
    setDraft(emptyDraft());
    setRestored(false);
  }, [page.project.id, orgId]);
  const update = (next: Draft) => {
    setDraft(next);
    window.localStorage.setItem(draftKey(page.project.id, orgId), JSON.stringify(next));
  };
  const reply = fetcher.data;
  useEffect(() => {
    if (!reply) return;
    if (reply.ok) clientKey.current = "";
    else if (reply.field) setErrors({ [reply.field]: [reply.error] });
    revalidator.revalidate();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [reply]);

  async function seal() {
    setErrors({});
    setSealing(true);
    try {
      const chosen = Array.from(files.current?.files ?? []);
      if (chosen.length > MAX_BID_FILES) return setErrors({ attachments: [`bids.error.tooManyFiles|{"max":${MAX_BID_FILES}}`] });
      if (chosen.some((f) => f.size > MAX_BID_FILE_BYTES)) return setErrors({ attachments: [`bids.error.fileTooBig|{"mb":${MB}}`] });
      if (chosen.some((f) => !(BID_MIMES as readonly string[]).includes(f.type))) return setErrors({ attachments: ["bids.error.fileType"] });
      const [{ bidContentsSchema, encodeContents }, seal] = await Promise.all([import("~/modules/projects/bid-schemas"), import("~/modules/projects/seal")]);
      const bytes = await Promise.all(chosen.map(async (f) => new Uint8Array(await f.arrayBuffer())));
      const parsed = bidContentsSchema.safeParse({
        price: draft.price,
        plan: draft.plan,
        team: draft.team,
        experience: draft.experience.trim() || undefined,
        milestones: draft.milestones,
        attachments: chosen.map((f, k) => ({ name: f.name, mime: f.type, bytes: f.size, sha256: seal.sha256Hex(bytes[k]!) })),
      });
      if (!parsed.success) {
        const found: Record<string, string[]> = {};
        for (const issue of parsed.error.issues) {
          const field = issue.path[0] === "milestones" && typeof issue.path[1] === "number" ? `milestones.${issue.path[1]}.${String(issue.path[2])}` : String(issue.path[0]);
          (found[field] ??= []).push(issue.message);
        }
        return setErrors(found);
      }
      const sealed = await seal.sealBid(page.project.id, orgId, page.openingKey!, encodeContents(parsed.data), bytes);
      clientKey.current ||= newKey();
      const form = new FormData();
      form.set("intent", "submit");
      form.set("organizationId", String(orgId));
      form.set("clientKey", clientKey.current);
      form.set("sealed", JSON.stringify(sealed.sealed));
      form.set("fileDigests", JSON.stringify(sealed.fileDigests));
      sealed.files.forEach((f, k) => form.append("files", new Blob([f as BlobPart], { type: "application/octet-stream" }), `sealed-${k}`));
      fetcher.submit(form, { method: "post", encType: "multipart/form-data" });
    } finally {
      setSealing(false);
    }
  }

  const busy = sealing || fetcher.state !== "idle";
  const m = (k: number, f: keyof Milestone, value: string) => update({ ...draft, milestones: draft.milestones.map((x, i) => (i === k ? { ...x, [f]: value } : x)) });
  const err = (name: string) => errors[name];
  return (
    <>
      {org.ineligible ? <p className="notice notice--error">{t(`bids.ineligible.${org.ineligible}`)}</p> : null}
      {org.bid ? (
        <p className="muted">
          {org.bid.status === "withdrawn" ? t("bids.currentWithdrawn") : t("bids.current", { revision: org.bid.revision, time: date(org.bid.submittedAt) })}{" "}
          {org.bid.status === "withdrawn" ? null : <code className="receipt-hash">{org.bid.receipt}</code>}
        </p>
      ) : null}
      {reply?.ok ? <BidReceipt kind={reply.kind} revision={reply.revision} receipt={reply.receipt} /> : null}
      <form
        className="card form"
        method="post"
        encType="multipart/form-data"
        aria-labelledby="bid-form-title"
        onSubmit={(e) => {
          e.preventDefault();
          if (ready && !busy) void seal();
        }}
      >
        <h2 id="bid-form-title">{org.bid && org.bid.status === "submitted" ? t("bids.revise") : t("bids.submit")}</h2>
        {restored ? <p className="muted">{t("bids.draft.restored")}</p> : null}
        {page.organizations.length > 1 ? (
          <label className="field">
            <span className="field__label">{t("bids.organization")}</span>
            <select className="field__input" value={orgId} onChange={(e) => setOrgId(Number(e.currentTarget.value))}>
              {page.organizations.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <p>
            {t("bids.organization")} · <strong>{org.name}</strong>
          </p>
        )}
        <label className="field">
          <span className="field__label">{t("bids.field.price")}</span>
          <span className="field__hint">{t("bids.field.priceHint", { cap: page.project.budgetCap })}</span>
          <input className="field__input" inputMode="numeric" value={draft.price} onChange={(e) => update({ ...draft, price: e.currentTarget.value })} aria-invalid={!!err("price")} />
          <FieldErrors errors={err("price")} />
        </label>
        <label className="field">
          <span className="field__label">{t("bids.field.plan")}</span>
          <textarea className="field__input" rows={8} value={draft.plan} onChange={(e) => update({ ...draft, plan: e.currentTarget.value })} aria-invalid={!!err("plan")} />
          <FieldErrors errors={err("plan")} />
        </label>
        <label className="field">
          <span className="field__label">{t("bids.field.team")}</span>
          <textarea className="field__input" rows={4} value={draft.team} onChange={(e) => update({ ...draft, team: e.currentTarget.value })} aria-invalid={!!err("team")} />
          <FieldErrors errors={err("team")} />
        </label>
        <label className="field">
          <span className="field__label">{t("bids.field.experience")}</span>
          <textarea className="field__input" rows={4} value={draft.experience} onChange={(e) => update({ ...draft, experience: e.currentTarget.value })} />
          <FieldErrors errors={err("experience")} />
        </label>
        <fieldset className="field bid-milestones">
          <legend className="field__label">{t("bids.milestones")}</legend>
          <span className="field__hint">{t("bids.milestonesHint")}</span>
          {draft.milestones.map((x, k) => (
            <div key={k} className="bid-milestone">
              <label className="field">
                <span className="field__label">{t("bids.milestone.title", { n: k + 1 })}</span>
                <input className="field__input" value={x.title} onChange={(e) => m(k, "title", e.currentTarget.value)} />
                <FieldErrors errors={err(`milestones.${k}.title`)} />
              </label>
              <label className="field">
                <span className="field__label">{t("bids.milestone.due", { n: k + 1 })}</span>
                <input className="field__input" type="date" value={x.due} onChange={(e) => m(k, "due", e.currentTarget.value)} />
                <FieldErrors errors={err(`milestones.${k}.due`)} />
              </label>
              <label className="field">
                <span className="field__label">{t("bids.milestone.share", { n: k + 1 })}</span>
                <input className="field__input" inputMode="numeric" value={x.share} onChange={(e) => m(k, "share", e.currentTarget.value)} />
                <FieldErrors errors={err(`milestones.${k}.share`)} />
              </label>
              {draft.milestones.length > 1 ? (
                <button type="button" className="button" onClick={() => update({ ...draft, milestones: draft.milestones.filter((_, i) => i !== k) })}>
                  {t("bids.milestone.remove", { n: k + 1 })}
                </button>
              ) : null}
            </div>
          ))}
          <FieldErrors errors={err("milestones")} />
          {draft.milestones.length < 12 ? (
            <button type="button" className="button" onClick={() => update({ ...draft, milestones: [...draft.milestones, { title: "", due: "", share: "0" }] })}>
              {t("bids.milestone.add")}
            </button>
          ) : null}
        </fieldset>
        <label className="field">
          <span className="field__label">{t("bids.field.attachments")}</span>
          <span className="field__hint">{t("bids.field.attachmentsHint", { max: MAX_BID_FILES, mb: MB })}</span>
          <input className="field__input" type="file" ref={files} multiple accept={BID_MIMES.join(",")} />
          <FieldErrors errors={err("attachments")} />
        </label>
        <FieldErrors errors={err("sealed")} />
        {reply && !reply.ok && !reply.field ? <p className="notice notice--error">{tx(reply.error)}</p> : null}
        <p className="muted" role="status">
          {t("bids.draft.saved")}
        </p>
        <button type="submit" className="button button--primary button--block" disabled={!ready || busy || !!org.ineligible} aria-busy={busy}>
          {busy ? t("bids.sealing") : org.bid?.status === "submitted" ? t("bids.revise") : t("bids.submit")}
        </button>
        <button
          type="button"
          className="button button--block"
          onClick={() => {
            window.localStorage.removeItem(draftKey(page.project.id, orgId));
            setDraft(emptyDraft());
            setRestored(false);
          }}
        >
          {t("bids.draft.clear")}
        </button>
      </form>
      {org.bid?.status === "submitted" ? (
        <fetcher.Form method="post" encType="multipart/form-data" className="card form">
          <p className="muted">{t("bids.withdrawConfirm")}</p>
          <input type="hidden" name="intent" value="withdraw" />
          <input type="hidden" name="organizationId" value={orgId} />
          <input type="hidden" name="clientKey" value={page.withdrawKey} />
          <button type="submit" className="button button--block" disabled={busy}>
            {t("bids.withdraw")}
          </button>
        </fetcher.Form>
      ) : null}
    </>
  );
}
