import { getInputProps, getSelectProps, getTextareaProps, useForm, type FieldMetadata } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { z } from "zod";
import type { ReactNode } from "react";
import { FieldErrors } from "./form-parts";

/** The light parts (no Conform, no zod), for pages that only need a button or a message: ./form-parts. */
export { FieldErrors, FormMessage, SubmitButton } from "./form-parts";

type FormOptions<S extends z.ZodTypeAny> = Omit<
  Parameters<typeof useForm<z.input<S>, z.output<S>, string[]>>[0],
  "constraint" | "onValidate"
>;

/**
 * A Conform form validated by its zod schema, the same in every page: the
 * browser checks on submit (the server checks again), then again as the
 * person corrects a field (a form may choose otherwise); the schema's limits
 * become the inputs' constraints.
 */
export function useSchemaForm<S extends z.ZodTypeAny>(schema: S, options: FormOptions<S> = {}) {
  return useForm<z.input<S>, z.output<S>, string[]>({
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    ...options,
    constraint: getZodConstraint(schema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
}

/**
 * The shared form fields: text (and number, date, date-time), textarea,
 * select, radio group and checkbox, each a labelled Conform field with its
 * hint and its error right beside it (design.md: forms that forgive); and the
 * form's message and submit button. Pages use these rather than their own copies.
 */

type InputType = "text" | "password" | "tel" | "email" | "number" | "date" | "datetime-local" | "search";
/** Any Conform field: the inputs carry every value as text. */
type AnyField =
  | FieldMetadata<string | undefined>
  | FieldMetadata<number | undefined>
  | FieldMetadata<number>
  | FieldMetadata<string | number | undefined>
  | FieldMetadata<boolean | undefined>
  | FieldMetadata<unknown>;
const asText = (field: AnyField) => field as FieldMetadata<string | undefined>;

function Hint({ id, hint }: { id?: string; hint?: string }) {
  return hint ? (
    <p id={id} className="field__hint">
      {hint}
    </p>
  ) : null;
}

/** A labelled input with its hint and its error right beside it. */
export function TextField({
  field,
  label,
  hint,
  type = "text",
  autoComplete,
  inputMode,
}: {
  /** Text and number fields alike: the input carries either as text. */
  field: FieldMetadata<string | undefined> | FieldMetadata<number | undefined> | FieldMetadata<number>;
  label: string;
  hint?: string;
  type?: InputType;
  autoComplete?: string;
  inputMode?: "text" | "numeric" | "tel";
}) {
  const hintId = hint ? `${field.id}-hint` : undefined;
  const props = getInputProps(asText(field), { type, ariaDescribedBy: hintId });
  return (
    <div className="field" data-invalid={field.errors ? "" : undefined}>
      <label htmlFor={field.id} className="field__label">
        {label}
      </label>
      <Hint id={hintId} hint={hint} />
      <input {...props} key={props.key} className="field__input" autoComplete={autoComplete} inputMode={inputMode} />
      <FieldErrors id={field.errorId} errors={field.errors} />
    </div>
  );
}

/** A date and time of day (`datetime-local`, read in the configured time zone by the server). */
export function DateTimeField({ field, label, hint }: { field: AnyField; label: string; hint?: string }) {
  return <TextField field={asText(field)} label={label} hint={hint} type="datetime-local" />;
}

/**
 * A labelled select with its hint and error. The choices come as `options`, or
 * as `children` (`<option>`s and `<optgroup>`s) when they need grouping.
 */
export function SelectField({
  field,
  label,
  hint,
  options,
  placeholder,
  children,
}: {
  field: AnyField;
  label: string;
  hint?: string;
  options?: { value: string; label: string }[];
  /** The empty first choice ("choose…"); none if omitted. */
  placeholder?: string;
  children?: ReactNode;
}) {
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
        {options?.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
        {children}
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

export function RadioGroupField({
  field,
  label,
  hint,
  options,
}: {
  field: AnyField;
  label: string;
  hint?: string;
  options: { value: string; label: string }[];
}) {
  const f = asText(field);
  const hintId = hint ? `${f.id}-hint` : undefined;
  return (
    <fieldset className="field" aria-describedby={hintId ? `${hintId} ${f.errorId}` : f.errorId} data-invalid={f.errors ? "" : undefined}>
      <legend className="field__label">{label}</legend>
      <Hint id={hintId} hint={hint} />
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

/** One yes-or-no choice: the box inside its label, the hint and the error under it. */
export function CheckboxField({ field, label, hint }: { field: AnyField; label: string; hint?: string }) {
  const f = asText(field);
  const hintId = hint ? `${f.id}-hint` : undefined;
  const props = getInputProps(f, { type: "checkbox", ariaDescribedBy: hintId });
  return (
    <div className="field" data-invalid={f.errors ? "" : undefined}>
      <label className="check">
        <input {...props} key={props.key} />
        <span>{label}</span>
      </label>
      <Hint id={hintId} hint={hint} />
      <FieldErrors id={f.errorId} errors={f.errors} />
    </div>
  );
}
