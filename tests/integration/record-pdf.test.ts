import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { signUp, verifyHours } from "~/modules/pledges/commands.server";
import { serviceRecordPage } from "~/modules/pledges/queries.server";
import { PdfFontMissingError, serviceRecordPdf } from "~/modules/pledges/record-pdf.server";
import { config } from "~/config.server";
import { pdfTexts } from "../support/pdf-text";
import { activityIn, actorOf, buildPledgeWorld, hoursFrom, NOW, TZ } from "../support/pledge-world";

/** The yearly service record as a PDF made on the server (issue 15 §5). */
describe("the service record's PDF", () => {
  async function verifiedRecord() {
    const w = await buildPledgeWorld();
    const member = await actorOf(w.people.partyMember.id);
    const activity = await activityIn(w, { slots: 5, inHours: 24 });
    const role = (await db().query.activityRoles.findFirst({ where: (r, { eq }) => eq(r.activityId, activity.id) }))!;
    const place = await signUp(member, { activityId: activity.id, roleId: role.id }, NOW);
    await verifyHours(
      await actorOf(w.people.communityWorker.id),
      { signupId: place.id, hours: 1.5, reason: "组织者现场确认" },
      hoursFrom(NOW, 27),
      TZ,
    );
    return { w, record: await serviceRecordPage(member, { userId: member.userId!, year: 2026 }, TZ) };
  }

  it("is a PDF in Chinese text (not boxes): the community's name, the member, the hours, each activity and who certified it", async () => {
    // CI installs Debian's fonts-noto-cjk; the server's configured font must be there for this test to mean anything.
    expect(existsSync(config().pdfFont.file)).toBe(true);
    const { w, record } = await verifiedRecord();
    const pdf = await serviceRecordPdf(record, { locale: "zh-CN", timeZone: TZ, now: hoursFrom(NOW, 30) });
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    // The font is embedded as a subset (a few glyphs, not the 16 MB collection).
    expect(pdf.length).toBeLessThan(200_000);
    const text = pdfTexts(pdf).join("\n");
    expect(text).not.toContain("\uFFFD");
    expect(text).toContain(w.c.name); // the community's name heads it
    expect(text).toContain(w.people.partyMember.displayName);
    expect(text).toContain("志愿服务记录");
    expect(text).toContain("本年度服务 1.5 小时");
    expect(text).toContain("胡同清洁日");
    expect(text).toContain(w.people.communityWorker.displayName); // certified by
    expect(text).toContain("第 1 页，共 1 页");
  });

  it("speaks English to an English reader, with the same figures", async () => {
    const { w, record } = await verifiedRecord();
    const text = pdfTexts(await serviceRecordPdf(record, { locale: "en", timeZone: TZ, now: NOW })).join("\n");
    expect(text).toContain("1.5 h");
    expect(text).toContain(w.people.partyMember.displayName);
    expect(text).toContain(w.c.name);
  });

  it("says the font is missing rather than making a PDF of empty boxes", async () => {
    const { record } = await verifiedRecord();
    await expect(
      serviceRecordPdf(record, {
        locale: "zh-CN",
        timeZone: TZ,
        now: NOW,
        font: { file: "/nonexistent/NotoSansCJK.ttc", name: "NotoSansCJKsc-Regular" },
      }),
    ).rejects.toBeInstanceOf(PdfFontMissingError);
  });
});
