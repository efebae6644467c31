import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import type { z } from "zod";
import { FormMessage } from "~/components/form-parts";

/**
 * A small Conform form of the activity page (one intent): validates with its
 * schema in the browser and shows the server's answer beside its fields.
 */
export function IntentForm<S extends z.ZodTypeAny>({
  id,
  schema,
  lastResult,
  children,
  className = "form",
  defaultValue,
}: {
  defaultValue?: Record<string, string>;
  id: string;
  schema: S;
  lastResult?: SubmissionResult<string[]> | null;
  className?: string;
  children: (fields: ReturnType<typeof useForm<z.input<S>>>[1]) => ReactNode;
}) {
  const [form, fields] = useForm<z.input<S>>({
    id,
    lastResult: lastResult ?? undefined,
    defaultValue: defaultValue as never,
    constraint: getZodConstraint(schema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <Form method="post" {...getFormProps(form)} className={className}>
      <FormMessage id={form.errorId} errors={form.errors} />
      {children(fields)}
    </Form>
  );
}
