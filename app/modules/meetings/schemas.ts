import { z } from "zod";
import { ballotChoices, handStances, meetingInvitees } from "#db/schema/values";
import { idField } from "~/lib/input";
import { PROCEDURE_LIMITS } from "./rules";

/** Forms of hall meetings (议事会). Messages are translation keys. */
const required = { required_error: "validation.required", invalid_type_error: "validation.required" };
const text = (min: number, max: number, short: string) =>
  z.string(required).trim().min(1, "validation.required").min(min, short).max(max, `validation.tooLong|{"max":${max}}`);
const whole = (min: number, max: number, message: string) => z.coerce.number(required).int(message).min(min, message).max(max, message);
const localTime = z.string(required).regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, "meeting.error.time");

/** One agenda item a line: "proposal number, minutes" — e.g. "12 20" or "#12，20". */
const agendaText = z
  .string(required)
  .trim()
  .min(1, "meeting.error.agendaEmpty")
  .max(2000, `validation.tooLong|{"max":2000}`)
  .transform((value, ctx) => {
    const items: { proposalId: number; minutes: number }[] = [];
    for (const line of value.split(/\r?\n/).map((l) => l.trim()).filter(Boolean)) {
      const m = /^#?(\d{1,9})\s*[,，:：\s]\s*(\d{1,3})\s*(?:分钟|min)?$/.exec(line);
      if (!m || Number(m[2]) < 1 || Number(m[2]) > 240) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `meeting.error.agendaLine|${JSON.stringify({ line: line.slice(0, 40) })}` });
        return z.NEVER;
      }
      items.push({ proposalId: Number(m[1]), minutes: Number(m[2]) });
    }
    if (items.length === 0) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "meeting.error.agendaEmpty" });
    if (items.length > 12) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "meeting.error.agendaLong" });
    if (new Set(items.map((i) => i.proposalId)).size !== items.length) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "meeting.error.agendaTwice" });
    return items;
  });

/** Account names, one a line (or separated by commas): the invited representatives. */
const namesText = z
  .string()
  .trim()
  .max(4000, `validation.tooLong|{"max":4000}`)
  .optional()
  .transform((v) => [...new Set((v ?? "").split(/[\s,，、]+/).map((s) => s.trim().toLowerCase()).filter(Boolean))]);

export const scheduleSchema = z
  .object({
    clientKey: z.string(required).uuid("validation.required"),
    hallId: idField(),
    title: text(4, 80, "meeting.error.titleShort"),
    startsAt: localTime,
    minutes: whole(15, 480, "meeting.error.length"),
    place: text(2, 100, "meeting.error.placeShort"),
    remote: z.string().trim().max(300, `validation.tooLong|{"max":300}`).optional(),
    invitees: z.enum(meetingInvitees, { required_error: "validation.choose", invalid_type_error: "validation.choose" }),
    named: namesText,
    quorum: whole(1, 10_000, "meeting.error.quorum"),
    agenda: agendaText,
  })
  .superRefine((v, ctx) => {
    if (v.invitees === "named" && v.named.length === 0) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["named"], message: "meeting.error.namedEmpty" });
  });
export type ScheduleInput = z.infer<typeof scheduleSchema>;

export const procedureSchema = z.object({
  speakingSeconds: whole(PROCEDURE_LIMITS.speakingSeconds.min, PROCEDURE_LIMITS.speakingSeconds.max, "meeting.error.speakingSeconds"),
  timesPerItem: whole(PROCEDURE_LIMITS.timesPerItem.min, PROCEDURE_LIMITS.timesPerItem.max, "meeting.error.timesPerItem"),
  alternate: z.boolean().default(false),
  proxies: z.boolean().default(false),
  neutralChair: z.boolean().default(false),
});
export type ProcedureInput = z.infer<typeof procedureSchema>;

export const noFields = z.object({});
export const codeSchema = z.object({ code: z.string(required).trim().regex(/^\d{6}$/, "meeting.error.codeFormat") });
export const handSchema = z.object({ stance: z.enum(handStances, { required_error: "meeting.error.stance", invalid_type_error: "meeting.error.stance" }) });
export const markSchema = z.object({ userId: idField(), holderId: idField().optional() });
export const moveSchema = z.object({ text: text(4, 500, "meeting.error.motionShort"), amendsId: idField().optional() });
export const motionSchema = z.object({ motionId: idField() });
export const ballotSchema = z.object({ motionId: idField(), choice: z.enum(ballotChoices, { required_error: "validation.choose", invalid_type_error: "validation.choose" }) });
/** The chair's count when closing a vote: hands in the room and paper ballots by choice (an empty field is none). */
const count = whole(0, 10_000, "meeting.error.count").optional();
export const countsSchema = z.object({
  motionId: idField(),
  handsFor: count,
  handsAgainst: count,
  handsAbstain: count,
  paperFor: count,
  paperAgainst: count,
  paperAbstain: count,
});
export const minutesSchema = z.object({ body: text(10, 20_000, "meeting.error.minutesShort"), publish: z.boolean().default(false) });
export const reasonSchema = z.object({ reason: text(2, 200, "meeting.error.reasonShort") });
