import { getInputProps, getSelectProps, getTextareaProps, type FieldMetadata } from "@conform-to/react";
import { FieldErrors } from "./form";

/**
 * Labelled Conform fields besides `TextField` (form.tsx): select, textarea
 * and radio group, each with its hint and its error beside it.
 */
type AnyField = FieldMetadata<string | undefined> | FieldMetadata<number | undefined> | FieldMetadata<unknown>;
const asText = (field: AnyField) => field as FieldMetadata<string | undefined>;

function Hint({ id, hint }: { id?: string; hint?: string }) {
  return hint ? (
    <p id={id} className="field__hint">
      {hint}
    </p>
  ) : null;
}

export function SelectField({ field, label, hint, options, placeholder }: { field: AnyField; label: string; hint?: string; options: { value: string; label: string }[]; placeholder?: string }) {
  const f = asText(field);
  const hintId = hint ? `${f.id}-hint` : undefined;
  const props = getSelectProps(f, { ariaDescribedBy: hintId });
  return (
    <div className="field" data-invalid={f.errors ? "" : undefined}>
      <label htmlFor={f.id} className="field__label">
        {label}
      </label>
      <Hint id={hintId} hint={hint} />
      <select {...props} key={props.key} className="field__input">
        {placeholder ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldErrors id={f.errorId} errors={f.errors} />
    </div>
  );
}

export function TextAreaField({ field, label, hint, rows = 4 }: { field: AnyField; label: string; hint?: string; rows?: number }) {
  const f = asText(field);
  const hintId = hint ? `${f.id}-hint` : undefined;
  const props = getTextareaProps(f, { ariaDescribedBy: hintId });
  return (
    <div className="field" data-invalid={f.errors ? "" : undefined}>
      <label htmlFor={f.id} className="field__label">
        {label}
      </label>
      <Hint id={hintId} hint={hint} />
      <textarea {...props} key={props.key} rows={rows} className="field__input" />
      <FieldErrors id={f.errorId} errors={f.errors} />
    </div>
  );
}

export function RadioGroupField({ field, label, options }: { field: AnyField; label: string; options: { value: string; label: string }[] }) {
  const f = asText(field);
  return (
    <fieldset className="field" aria-describedby={f.errorId} data-invalid={f.errors ? "" : undefined}>
      <legend className="field__label">{label}</legend>
      {options.map((o) => {
        const props = getInputProps(f, { type: "radio", value: o.value });
        return (
          <label key={o.value} className="check">
            <input {...props} key={props.key} />
            <span>{o.label}</span>
          </label>
        );
      })}
      <FieldErrors id={f.errorId} errors={f.errors} />
    </fieldset>
  );
}
