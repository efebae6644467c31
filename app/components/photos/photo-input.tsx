import { useEffect, useRef, useState } from "react";
import { FieldErrors } from "~/components/form-parts";
import { useI18n } from "~/i18n/react";
import { MAX_PHOTO_BYTES, MAX_PHOTOS } from "~/lib/uploads";
import { formatBytes, shrinkPhoto } from "./shrink";

type Preview = { url: string; before: number; after: number; document?: string };
type State = { busy: boolean; previews: Preview[]; error: string | null };
const idle: State = { busy: false, previews: [], error: null };

/**
 * The photo field of a form. With scripts, each chosen photo is shrunk in the
 * browser (long side ≤ 2048 px, JPEG, ≤ 5 MB), shown as a preview, and the
 * shrunk files replace the chosen ones in the input, so the form sends them as
 * it always did. A photo that cannot be read or is still too big is refused
 * here, beside the field, and nothing of the form is lost. A submit pressed
 * while photos are being shrunk is sent once they are ready. Without scripts it is a plain file input and
 * the server's limit holds (a 413 with the form kept). With `documents`, PDF
 * files are accepted too (evidence), sent as they are and listed by name.
 */
export function PhotoInput({ id, name = "photos", describedBy, serverError, documents = false }: { id: string; name?: string; describedBy?: string; serverError?: string; documents?: boolean }) {
  const { t, locale } = useI18n();
  const ref = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<State>(idle);
  const busy = useRef(false);
  const previews = useRef<Preview[]>([]);

  /** A submit pressed while photos were being shrunk: sent as soon as they are ready. */
  const waiting = useRef<{ submitter: HTMLElement | null } | null>(null);
  const refused = useRef(false);
  useEffect(() => {
    const form = ref.current?.form;
    if (!form) return;
    // Runs before React's handlers (they listen at the root): hold the submit until the photos are ready.
    const hold = (event: Event) => {
      if (!busy.current && !refused.current) return;
      event.preventDefault();
      event.stopPropagation();
      // Just after a photo was refused, the first press only points at the message: the photo was not sent.
      if (refused.current) {
        refused.current = false;
        ref.current?.focus();
        return;
      }
      waiting.current = { submitter: (event as SubmitEvent).submitter };
    };
    form.addEventListener("submit", hold);
    return () => form.removeEventListener("submit", hold);
  }, []);
  function sendIfWaiting(ok: boolean) {
    const pending = waiting.current;
    waiting.current = null;
    const form = ref.current?.form;
    if (ok && pending && form) form.requestSubmit(pending.submitter ?? undefined);
  }
  useEffect(() => () => previews.current.forEach((p) => URL.revokeObjectURL(p.url)), []);

  function show(next: State) {
    previews.current.forEach((p) => (next.previews.includes(p) ? null : URL.revokeObjectURL(p.url)));
    previews.current = next.previews;
    setState(next);
  }

  async function onChange() {
    const input = ref.current!;
    const chosen = [...(input.files ?? [])];
    refused.current = false;
    const refuse = (error: string) => {
      input.value = "";
      busy.current = false;
      refused.current = waiting.current === null;
      show({ ...idle, error });
      sendIfWaiting(false); // the person reads why, and sends again
    };
    if (chosen.length === 0) return show(idle);
    if (chosen.length > MAX_PHOTOS) return refuse(`proposal.error.tooManyPhotos|{"max":${MAX_PHOTOS}}`);
    busy.current = true;
    show({ busy: true, previews: [], error: null });
    const files: File[] = [];
    const shown: Preview[] = [];
    for (const file of chosen) {
      if (documents && file.type === "application/pdf") {
        if (file.size > MAX_PHOTO_BYTES) return refuse("proposal.error.photoTooBig");
        files.push(file);
        shown.push({ url: URL.createObjectURL(file), before: file.size, after: file.size, document: file.name });
        continue;
      }
      const small = await shrinkPhoto(file);
      if (!small) return refuse("photo.error.decode");
      if (small.size > MAX_PHOTO_BYTES) return refuse("proposal.error.photoTooBig");
      files.push(small);
      shown.push({ url: URL.createObjectURL(small), before: file.size, after: small.size });
    }
    const transfer = new DataTransfer();
    for (const f of files) transfer.items.add(f);
    input.files = transfer.files;
    busy.current = false;
    show({ busy: false, previews: shown, error: null });
    sendIfWaiting(true);
  }

  const error = state.error ?? serverError;
  return (
    <>
      <input
        ref={ref}
        id={id}
        name={name}
        type="file"
        accept={`image/jpeg,image/png,image/webp,image/heic,image/heif${documents ? ",application/pdf" : ""}`}
        multiple
        className="field__input"
        aria-describedby={describedBy}
        aria-invalid={error ? true : undefined}
        onChange={() => void onChange()}
      />
      {state.busy ? (
        <p className="field__hint" role="status">
          {t("photo.processing")}
        </p>
      ) : null}
      {state.previews.length ? (
        <ul className="photo-previews" data-testid="photo-previews">
          {state.previews.map((p, i) => (
            <li key={p.url}>
              {p.document ? <span>📄 {p.document}</span> : <img src={p.url} alt={t("photo.preview", { n: i + 1 })} />}
              {/* A document is sent as it is: only a photo was shrunk. */}
              {p.document ? null : <span className="muted">{t("photo.shrunk", { before: formatBytes(p.before, locale), after: formatBytes(p.after, locale) })}</span>}
            </li>
          ))}
        </ul>
      ) : null}
      {error ? <FieldErrors errors={[error]} /> : null}
    </>
  );
}
