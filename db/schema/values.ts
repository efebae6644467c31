/**
 * The words a column may hold, as plain constants: the browser's forms and pages import them from here, since a
 * table file would bring drizzle's table builders into the page's JavaScript (about 10 KB with gzip). Each table
 * file re-exports its own, so server code imports them from either place.
 */

// halls.ts
export const reportReasons = ["spam", "offensive", "off_topic", "personal_data"] as const;
export type ReportReason = (typeof reportReasons)[number];
/**
 * The reasons the system gives when it moves a proposal itself (a person's
 * reason is their own words): `event.reason.<code>` in the catalogues.
 */
export const systemReasons = ["seconds", "expired", "not_tallied", "passed", "failed_quorum", "failed_threshold"] as const;
export type SystemReason = (typeof systemReasons)[number];

// meetings.ts
export const meetingInvitees = ["members", "named"] as const;
export type MeetingInvitees = (typeof meetingInvitees)[number];
export const handStances = ["for", "against"] as const;
export type HandStance = (typeof handStances)[number];
export const ballotChoices = ["for", "against", "abstain"] as const;
export type BallotChoice = (typeof ballotChoices)[number];

// pledges.ts
/** Pledge categories (公开承诺 / 志愿服务 类别), from the default duty list. */
export const pledgeCategoryCodes = ["environment", "education", "policy_advice", "serving_people"] as const;
export type PledgeCategory = (typeof pledgeCategoryCodes)[number];

// projects.ts
/** The criteria a call may weigh; `custom` carries its own label. Weights sum to 100. */
export const criterionKeys = ["price", "plan", "experience", "local", "team", "custom"] as const;
export type CriterionKey = (typeof criterionKeys)[number];
export const evaluatorRoles = ["staff", "resident", "expert"] as const;
export type EvaluatorRole = (typeof evaluatorRoles)[number];

// service-lists.ts
export const resourceKinds = ["venue", "skill", "volunteers", "goods"] as const;
export type ResourceKind = (typeof resourceKinds)[number];

// wishes.ts
/** How the public wall calls the person: 王阿姨, 李叔叔, 张奶奶, 赵爷爷 (chosen by staff). */
export const wishHonorifics = ["ayi", "shushu", "nainai", "yeye"] as const;
export type WishHonorific = (typeof wishHonorifics)[number];

// deliveries.ts
export const deliveryChannels = ["email", "sms"] as const;
export type DeliveryChannel = (typeof deliveryChannels)[number];
/**
 * held: waiting for the person's daily digest; pending: due at next_attempt_at
 * (a first try or a retry); sending: claimed by a sender until next_attempt_at
 * (a lease: a crashed sender's claim runs out and another node takes it over);
 * sent; digested: folded into a digest delivery; dead: gave up (a permanent
 * error, or too many attempts), waiting for an administrator; cancelled: the
 * address or the choice went away before it was sent.
 */
export const deliveryStates = ["held", "pending", "sending", "sent", "digested", "dead", "cancelled"] as const;
export type DeliveryState = (typeof deliveryStates)[number];
