import { and, asc, count, desc, eq, inArray, isNotNull, lt, max, ne } from "drizzle-orm";
import type { Queryable } from "#db/client.server";
import { bids, organizations, projectDocuments, projectMilestones, projectQuestions, projects, units } from "#db/schema";
import type { Criterion, Eligibility, MilestoneStatus, ProjectStatus } from "#db/schema/projects";
import { timeZone } from "~/lib/clock.server";
import { dayStart } from "~/lib/time";

/**
 * Open data (issue 16 §6, ADR 0043): every published call as an OCDS 1.1
 * release, in release packages — the whole list, newest first and paged, at
 * /ocds/releases.json, one project's at /ocds/projects/<id>.json. One release
 * per project, describing it as it stands (tender, award, contract and its
 * implementation), with a release id that changes whenever it does.
 *
 * Nothing about people: no names, telephones or emails of anyone — parties
 * are the buyer (a community or subdistrict) and organisations, and free
 * texts are only the call's own (title, scope) and the award's rationale.
 * The list is a stream over a keyset cursor, a batch of projects at a time,
 * so memory stays flat however many there are.
 */

export const OCDS_VERSION = "1.1";
/** The ocid prefix: a publisher registers its own with the Open Contracting Partnership (set OCDS_PREFIX). */
export const ocidPrefix = () => process.env.OCDS_PREFIX || "ocds-gongzhi";
export const ocidOf = (projectId: number) => `${ocidPrefix()}-${projectId}`;
export const PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 10_000;
/** Projects read per query while streaming. */
const BATCH = 1000;
const CURRENCY = "CNY";

type ProjectRow = Pick<
  typeof projects.$inferSelect,
  | "id"
  | "unitId"
  | "title"
  | "scope"
  | "budgetCap"
  | "periodStart"
  | "periodEnd"
  | "eligibility"
  | "criteria"
  | "questionsCloseAt"
  | "bidDeadline"
  | "status"
  | "publishedAt"
  | "openedAt"
  | "awardBidId"
  | "awardRationale"
  | "awardedAt"
  | "finalAt"
  | "completedAt"
  | "updatedAt"
>;

const projectColumns = {
  id: projects.id,
  unitId: projects.unitId,
  title: projects.title,
  scope: projects.scope,
  budgetCap: projects.budgetCap,
  periodStart: projects.periodStart,
  periodEnd: projects.periodEnd,
  eligibility: projects.eligibility,
  criteria: projects.criteria,
  questionsCloseAt: projects.questionsCloseAt,
  bidDeadline: projects.bidDeadline,
  status: projects.status,
  publishedAt: projects.publishedAt,
  openedAt: projects.openedAt,
  awardBidId: projects.awardBidId,
  awardRationale: projects.awardRationale,
  awardedAt: projects.awardedAt,
  finalAt: projects.finalAt,
  completedAt: projects.completedAt,
  updatedAt: projects.updatedAt,
};

/** Only calls that were published are public (a call still in planning, or cancelled before publication, is not). */
const isPublic = isNotNull(projects.publishedAt);

// ---------------------------------------------------------------- mapping

const tenderStatus: Record<ProjectStatus, string> = {
  planning: "planning",
  open: "active",
  evaluating: "active",
  awarded: "complete",
  active: "complete",
  completed: "complete",
  cancelled: "cancelled",
  unsuccessful: "unsuccessful",
};

const milestoneStatus: Record<MilestoneStatus, string> = {
  scheduled: "scheduled",
  reported: "scheduled",
  met: "met",
  partially_met: "partiallyMet",
  not_met: "notMet",
};

/** The criteria as the call names them, in the data's language (zh). */
const criterionNames: Record<string, string> = {
  price: "价格",
  plan: "服务方案",
  experience: "服务经验",
  local: "本地服务",
  team: "服务团队",
};
const criteriaDetails = (criteria: Criterion[]) =>
  criteria.map((c) => `${c.key === "custom" ? (c.label ?? c.id) : (criterionNames[c.key] ?? c.key)} ${c.weight}%`).join("；");

function eligibilityText(e: Eligibility): string {
  const parts = ["经认证的社会组织"];
  if (e.minMonthsVerified > 0) parts.push(`认证满 ${e.minMonthsVerified} 个月`);
  if (e.localOnly) parts.push("限采购方辖区内的机构");
  return parts.join("；");
}

const iso = (d: Date | null) => (d ? d.toISOString() : undefined);
/**
 * A calendar date of the district as the instant its day starts (or ends).
 * Remembered: the zone's arithmetic builds Intl formatters, and an export of
 * thousands of projects asks for the same few hundred dates again and again.
 */
const dayInstants = new Map<string, string | undefined>();
function dayInstant(date: string, end = false): string | undefined {
  const key = `${timeZone()}|${date}|${end ? 1 : 0}`;
  if (dayInstants.has(key)) return dayInstants.get(key);
  const start = dayStart(date, timeZone());
  const value = start ? new Date(start.getTime() + (end ? 86_400_000 - 1000 : 0)).toISOString() : undefined;
  if (dayInstants.size >= 10_000) dayInstants.clear();
  dayInstants.set(key, value);
  return value;
}

const unitParty = (id: number) => `unit-${id}`;
const orgParty = (id: number) => `org-${id}`;

/** Only what a release says of a document and a milestone (not the report, evidence or judgement). */
const documentColumns = {
  id: projectDocuments.id,
  projectId: projectDocuments.projectId,
  file: projectDocuments.file,
  name: projectDocuments.name,
  mime: projectDocuments.mime,
  createdAt: projectDocuments.createdAt,
};
const milestoneColumns = {
  projectId: projectMilestones.projectId,
  ordinal: projectMilestones.ordinal,
  title: projectMilestones.title,
  dueOn: projectMilestones.dueOn,
  paymentShare: projectMilestones.paymentShare,
  status: projectMilestones.status,
  reportedAt: projectMilestones.reportedAt,
  judgedAt: projectMilestones.judgedAt,
  paidAmount: projectMilestones.paidAmount,
  paidAt: projectMilestones.paidAt,
};

interface Related {
  buyers: Map<number, { id: number; name: string }>;
  bids: Map<
    number,
    { bidId: number; organizationId: number; status: string; price: number | null; name: string; registrationNumber: string | null }[]
  >;
  documents: Map<number, Pick<typeof projectDocuments.$inferSelect, keyof typeof documentColumns>[]>;
  milestones: Map<number, Pick<typeof projectMilestones.$inferSelect, keyof typeof milestoneColumns>[]>;
  questions: Map<number, number>;
}

const group = <T, K>(rows: T[], key: (r: T) => K) => {
  const m = new Map<K, T[]>();
  for (const r of rows) {
    const list = m.get(key(r));
    if (list) list.push(r);
    else m.set(key(r), [r]);
  }
  return m;
};

/** What a batch of projects' releases need besides the project rows: five queries a batch, never one a project. */
async function related(q: Queryable, rows: ProjectRow[]): Promise<Related> {
  const ids = rows.map((r) => r.id);
  const opened = rows.filter((r) => r.openedAt !== null).map((r) => r.id);
  const unitIds = [...new Set(rows.map((r) => r.unitId))];
  if (ids.length === 0) return { buyers: new Map(), bids: new Map(), documents: new Map(), milestones: new Map(), questions: new Map() };
  const [buyerRows, bidRows, docRows, milestoneRows, questionRows] = await Promise.all([
    q.select({ id: units.id, name: units.name }).from(units).where(inArray(units.id, unitIds)),
    // Bidders are public from the opening (开标); a withdrawn bid was never opened.
    q
      .select({
        projectId: bids.projectId,
        bidId: bids.id,
        organizationId: bids.organizationId,
        status: bids.status,
        price: bids.price,
        name: organizations.name,
        registrationNumber: organizations.registrationNumber,
      })
      .from(bids)
      .innerJoin(organizations, eq(organizations.id, bids.organizationId))
      .where(and(inArray(bids.projectId, opened), ne(bids.status, "withdrawn")))
      .orderBy(asc(bids.id)),
    q.select(documentColumns).from(projectDocuments).where(inArray(projectDocuments.projectId, ids)).orderBy(asc(projectDocuments.id)),
    q
      .select(milestoneColumns)
      .from(projectMilestones)
      .where(inArray(projectMilestones.projectId, ids))
      .orderBy(asc(projectMilestones.projectId), asc(projectMilestones.ordinal)),
    q
      .select({ projectId: projectQuestions.projectId, n: count() })
      .from(projectQuestions)
      .where(inArray(projectQuestions.projectId, ids))
      .groupBy(projectQuestions.projectId),
  ]);
  return {
    buyers: new Map(buyerRows.map((b) => [b.id, b])),
    bids: group(bidRows, (b) => b.projectId),
    documents: group(docRows, (d) => d.projectId),
    milestones: group(milestoneRows, (m) => m.projectId),
    questions: new Map(questionRows.map((r) => [r.projectId, Number(r.n)])),
  };
}

/** One project as an OCDS release. */
export function releaseOf(p: ProjectRow, r: Related, base: string) {
  const ocid = ocidOf(p.id);
  const buyer = r.buyers.get(p.unitId);
  const buyerRef = { id: unitParty(p.unitId), name: buyer?.name ?? "" };
  const opened = p.openedAt !== null;
  const bidders = opened ? (r.bids.get(p.id) ?? []) : [];
  const winner = p.awardBidId ? bidders.find((b) => b.bidId === p.awardBidId) : undefined;
  const hasAward = winner !== undefined && p.awardedAt !== null && ["awarded", "active", "completed", "cancelled"].includes(p.status);
  const hasContract = hasAward && (p.status === "active" || p.status === "completed");
  const milestones = hasContract ? (r.milestones.get(p.id) ?? []) : [];

  const parties = [
    // The buyer runs its own call: named as buyer only (the standard asks not to repeat it as procuring entity).
    { id: buyerRef.id, name: buyerRef.name, roles: ["buyer"] },
    ...bidders.map((b) => ({
      id: orgParty(b.organizationId),
      name: b.name,
      ...(b.registrationNumber ? { identifier: { scheme: "CN-USCC", id: b.registrationNumber, legalName: b.name } } : {}),
      roles: hasAward && b.bidId === winner!.bidId ? ["tenderer", "supplier"] : ["tenderer"],
    })),
  ];

  const tag = ["tender"];
  if (p.status === "cancelled") tag.push("tenderCancellation");
  if (hasAward) tag.push(p.status === "cancelled" ? "awardCancellation" : "award");
  if (hasContract) tag.push("contract");
  if (milestones.some((m) => m.reportedAt !== null || m.paidAt !== null)) tag.push("implementation");

  const documents = (r.documents.get(p.id) ?? []).map((d) => ({
    id: `doc-${d.id}`,
    documentType: "biddingDocuments",
    title: d.name,
    url: `${base}/uploads/${d.file}`,
    format: d.mime,
    datePublished: d.createdAt.toISOString(),
  }));

  const supplierRef = winner ? { id: orgParty(winner.organizationId), name: winner.name } : undefined;
  const awardId = `${ocid}-award-1`;
  const amount = winner?.price ?? null;

  return {
    ocid,
    id: `${ocid}-${p.updatedAt.getTime()}`,
    date: p.updatedAt.toISOString(),
    tag,
    initiationType: "tender",
    language: "zh",
    parties,
    buyer: buyerRef,
    tender: {
      id: `${ocid}-tender`,
      title: p.title,
      description: p.scope,
      status: tenderStatus[p.status],
      value: { amount: p.budgetCap, currency: CURRENCY },
      procurementMethod: "open",
      procurementMethodDetails: "政府购买服务：公开征集，密封投标，评审小组打分",
      mainProcurementCategory: "services",
      awardCriteria: "ratedCriteria",
      awardCriteriaDetails: criteriaDetails(p.criteria),
      submissionMethod: ["electronicSubmission"],
      tenderPeriod: { startDate: iso(p.publishedAt), endDate: iso(p.bidDeadline) },
      enquiryPeriod: { startDate: iso(p.publishedAt), endDate: iso(p.questionsCloseAt) },
      hasEnquiries: (r.questions.get(p.id) ?? 0) > 0,
      eligibilityCriteria: eligibilityText(p.eligibility),
      ...(opened ? { awardPeriod: { startDate: iso(p.openedAt), ...(p.awardedAt ? { endDate: iso(p.awardedAt) } : {}) } } : {}),
      contractPeriod: { startDate: dayInstant(p.periodStart), endDate: dayInstant(p.periodEnd, true) },
      ...(opened
        ? { numberOfTenderers: bidders.length, tenderers: bidders.map((b) => ({ id: orgParty(b.organizationId), name: b.name })) }
        : {}),
      documents,
    },
    ...(hasAward
      ? {
          awards: [
            {
              id: awardId,
              title: p.title,
              description: p.awardRationale ?? undefined,
              status: p.status === "awarded" ? "pending" : p.status === "cancelled" ? "cancelled" : "active",
              date: iso(p.awardedAt),
              ...(amount !== null ? { value: { amount, currency: CURRENCY } } : {}),
              suppliers: [supplierRef!],
              contractPeriod: { startDate: dayInstant(p.periodStart), endDate: dayInstant(p.periodEnd, true) },
            },
          ],
        }
      : {}),
    ...(hasContract
      ? {
          contracts: [
            {
              id: `${ocid}-contract-1`,
              awardID: awardId,
              title: p.title,
              status: p.status === "completed" ? "terminated" : "active",
              period: { startDate: dayInstant(p.periodStart), endDate: dayInstant(p.periodEnd, true) },
              ...(amount !== null ? { value: { amount, currency: CURRENCY } } : {}),
              dateSigned: iso(p.finalAt),
              implementation: {
                milestones: milestones.map((m) => ({
                  id: `milestone-${m.ordinal}`,
                  title: m.title,
                  type: "delivery",
                  description: `付款比例 ${m.paymentShare}%`,
                  dueDate: dayInstant(m.dueOn, true),
                  status: milestoneStatus[m.status],
                  ...(m.status === "met" || m.status === "partially_met" ? { dateMet: iso(m.judgedAt) } : {}),
                  ...(m.judgedAt || m.reportedAt ? { dateModified: iso(m.judgedAt ?? m.reportedAt) } : {}),
                })),
                transactions: milestones
                  .filter((m) => m.paidAt !== null && m.paidAmount !== null)
                  .map((m) => ({
                    id: `${ocid}-payment-${m.ordinal}`,
                    date: iso(m.paidAt),
                    value: { amount: m.paidAmount, currency: CURRENCY },
                    payer: buyerRef,
                    payee: supplierRef!,
                  })),
              },
            },
          ],
        }
      : {}),
  };
}
export type Release = ReturnType<typeof releaseOf>;

// ---------------------------------------------------------------- packages

export interface PackageOptions {
  /** The site's origin, for the package's and documents' URIs (no trailing slash). */
  base: string;
  /** This package's own URI. */
  uri: string;
  publishedDate: Date;
  links?: { next?: string; prev?: string };
}

function packageHead(o: PackageOptions) {
  return {
    uri: o.uri,
    version: OCDS_VERSION,
    publishedDate: o.publishedDate.toISOString(),
    publisher: { name: "Gongzhi 共治", uri: o.base },
    ...(o.links && (o.links.next || o.links.prev) ? { links: o.links } : {}),
  };
}

/** When the public data last changed: the package's date (the newest project's last change). */
async function lastChange(q: Queryable): Promise<Date> {
  const [row] = await q
    .select({ at: max(projects.updatedAt) })
    .from(projects)
    .where(isPublic);
  return row?.at ? new Date(row.at) : new Date(0);
}

/** One project's release package, or null when it is not public. */
export async function projectPackage(q: Queryable, projectId: number, base: string) {
  const [p] = await q
    .select(projectColumns)
    .from(projects)
    .where(and(eq(projects.id, projectId), isPublic));
  if (!p) return null;
  const release = releaseOf(p, await related(q, [p]), base);
  return { ...packageHead({ base, uri: `${base}/ocds/projects/${projectId}.json`, publishedDate: p.updatedAt }), releases: [release] };
}

export interface Page {
  page: number;
  limit: number;
}

/**
 * The list's page as a byte stream: the package's head, then the releases a
 * batch at a time (a keyset cursor on the id, newest first), then the close.
 * Null when the page is past the end (and not the first).
 */
export async function releasesStream(q: Queryable, { page, limit }: Page, base: string): Promise<ReadableStream<Uint8Array> | null> {
  const skip = (page - 1) * limit;
  const [total] = await q.select({ n: count() }).from(projects).where(isPublic);
  const n = Number(total?.n ?? 0);
  if (skip >= n && page > 1) return null;
  const self = (p: number) => `${base}/ocds/releases.json?page=${p}${limit === PAGE_SIZE ? "" : `&limit=${limit}`}`;
  const head = packageHead({
    base,
    uri: self(page),
    publishedDate: await lastChange(q),
    links: { next: skip + limit < n ? self(page + 1) : undefined, prev: page > 1 ? self(page - 1) : undefined },
  });
  const encoder = new TextEncoder();
  const opening = JSON.stringify({ ...head, releases: [] }).slice(0, -2); // …"releases":[
  let sent = 0;
  let lastId: number | null = null;
  let first = true;
  let done = Math.min(limit, n - skip) <= 0;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(encoder.encode(opening));
      },
      async pull(controller) {
        if (done) {
          controller.enqueue(encoder.encode("]}"));
          controller.close();
          return;
        }
        const size = Math.min(BATCH, limit - sent);
        const base_ = q.select(projectColumns).from(projects);
        const rows =
          lastId === null
            ? await base_.where(isPublic).orderBy(desc(projects.id)).limit(size).offset(skip)
            : await base_
                .where(and(isPublic, lt(projects.id, lastId)))
                .orderBy(desc(projects.id))
                .limit(size);
        if (rows.length > 0) {
          const rel = await related(q, rows);
          let chunk = "";
          for (const row of rows) {
            chunk += (first ? "" : ",") + JSON.stringify(releaseOf(row, rel, base));
            first = false;
          }
          controller.enqueue(encoder.encode(chunk));
          sent += rows.length;
          lastId = rows[rows.length - 1]!.id;
        }
        if (rows.length < size || sent >= limit) done = true;
      },
    },
    { highWaterMark: 1 },
  );
}

/** The page and its size from the query string: ?page (from 1) and ?limit (1–10 000, default 100); null when malformed. */
export function pageOf(params: URLSearchParams): Page | null {
  const whole = (v: string | null, fallback: number, maxValue: number) => {
    if (v === null || v === "") return fallback;
    if (!/^\d{1,6}$/.test(v)) return null;
    const n = Number(v);
    return n >= 1 && n <= maxValue ? n : null;
  };
  const page = whole(params.get("page"), 1, 1_000_000);
  const limit = whole(params.get("limit"), PAGE_SIZE, MAX_PAGE_SIZE);
  return page === null || limit === null ? null : { page, limit };
}
