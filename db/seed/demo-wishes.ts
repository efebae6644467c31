import type { Tx } from "../client.server";
import { auditEvents, wishClaims, wishes, wishPeople, type PledgeCategory, type WishHonorific, type WishStatus } from "../schema";

/**
 * The demo district's micro-wishes (微心愿) in 史家社区, posted by 李娟
 * (lijuan) with the residents' consent: two waiting to be claimed, one
 * claimed by 陈建国 (chenjianguo), one claimed by the State Grid Party
 * committee and marked fulfilled (for lijuan to confirm), and one 陈建国
 * fulfilled and lijuan confirmed. The people are fictional; their names,
 * addresses and phones are seen by staff only.
 */
export async function seedWishes(tx: Tx, w: { id: (username: string) => number; shijia: { id: number }; stateGrid: number }) {
  const now = Date.now();
  const daysAgo = (n: number) => new Date(now - n * 86_400_000);
  const lijuan = w.id("lijuan");
  const chen = w.id("chenjianguo");

  const list: {
    text: string;
    category: PledgeCategory;
    fullName: string;
    surname: string;
    honorific: WishHonorific;
    address: string;
    phone: string;
    consentBy: string;
    status: WishStatus;
    postedDaysAgo: number;
    claim?: { organizationId?: number; daysAgo: number };
    fulfilment?: { note: string; daysAgo: number };
    confirmedDaysAgo?: number;
  }[] = [
    { text: "想要一个带灯的放大镜，晚上看报纸方便些", category: "serving_people", fullName: "王淑珍", surname: "王", honorific: "nainai", address: "史家胡同 31 号院 2 门 102", phone: "010-6525 1031", consentBy: "本人", status: "posted", postedDaysAgo: 3 },
    { text: "轮椅的刹车松了，希望有人帮忙修一修", category: "serving_people", fullName: "刘国强", surname: "刘", honorific: "yeye", address: "内务部街 11 号院 3 门 201", phone: "13801012233", consentBy: "老伴 孙桂英", status: "posted", postedDaysAgo: 1 },
    { text: "想学会用智能手机和外地的孙子视频通话", category: "education", fullName: "张美华", surname: "张", honorific: "ayi", address: "史家胡同 45 号院 1 门 301", phone: "13911014455", consentBy: "本人", status: "claimed", postedDaysAgo: 9, claim: { daysAgo: 6 } },
    { text: "家里的老式电表箱线路老化，想请人看看是否安全", category: "serving_people", fullName: "李德顺", surname: "李", honorific: "shushu", address: "史家胡同 8 号院 2 门 101", phone: "13601018899", consentBy: "本人", status: "fulfilled", postedDaysAgo: 14, claim: { organizationId: w.stateGrid, daysAgo: 12 }, fulfilment: { note: "国网党员服务队上门检查，更换了老化的闸刀和两段电线，已告知日常注意事项。", daysAgo: 2 } },
    { text: "冬天快到了，想要一床厚实的棉被", category: "serving_people", fullName: "赵玉兰", surname: "赵", honorific: "nainai", address: "史家胡同 27 号院 1 门 103", phone: "", consentBy: "女儿 赵静（监护人）", status: "confirmed", postedDaysAgo: 30, claim: { daysAgo: 28 }, fulfilment: { note: "买了一床 8 斤的棉被，和社区工作者一起送到家里。", daysAgo: 25 }, confirmedDaysAgo: 24 },
  ];

  for (const item of list) {
    const [wish] = await tx
      .insert(wishes)
      .values({
        unitId: w.shijia.id,
        category: item.category,
        text: item.text,
        surname: item.surname,
        honorific: item.honorific,
        status: item.status,
        postedBy: lijuan,
        fulfilmentNote: item.fulfilment?.note ?? null,
        fulfilledAt: item.fulfilment ? daysAgo(item.fulfilment.daysAgo) : null,
        confirmedBy: item.confirmedDaysAgo !== undefined ? lijuan : null,
        confirmedAt: item.confirmedDaysAgo !== undefined ? daysAgo(item.confirmedDaysAgo) : null,
        closedAt: item.confirmedDaysAgo !== undefined ? daysAgo(item.confirmedDaysAgo) : null,
        createdAt: daysAgo(item.postedDaysAgo),
      })
      .returning();
    await tx.insert(wishPeople).values({
      wishId: wish!.id,
      fullName: item.fullName,
      address: item.address,
      phone: item.phone,
      consentBy: item.consentBy,
      consentRecordedBy: lijuan,
      consentAt: daysAgo(item.postedDaysAgo),
    });
    await tx.insert(auditEvents).values({ actorId: lijuan, action: "wish.post", subjectType: "wish", subjectId: String(wish!.id), data: { demo: true } });
    if (item.claim) {
      await tx.insert(wishClaims).values({ wishId: wish!.id, userId: chen, organizationId: item.claim.organizationId ?? null, createdAt: daysAgo(item.claim.daysAgo) });
    }
  }
}
