import { closingTime, expect, newResident, openHall, openVote, personPage, test, unique } from "./fixtures";

/**
 * The roll of residents (居民名册) and paper ballots for residents without an
 * account: the community worker adds a household and an elderly member
 * without an account, a newcomer with an account is verified at the same
 * address, and a households' vote opened afterwards is frozen from the roll,
 * elderly residents included. Everything here is made by the test itself.
 */
test("staff keep the roll and record a paper ballot for a household without accounts; its member online is refused", async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const base = baseURL!;
  const worker = await personPage(browser, base, "lijuan");
  await worker.goto("/desk");
  await worker.getByRole("link", { name: "居民名册" }).click();
  await expect(worker.getByRole("heading", { level: 1, name: "居民名册" })).toBeVisible();

  // Add a household and an elderly resident without an account; the history says who did it.
  const address = `史家胡同${60 + Math.floor(Math.random() * 900)}号`;
  await worker.getByLabel("地址（门牌号）").fill(address);
  await worker.getByRole("button", { name: "新增一户" }).click();
  await expect(worker.getByRole("heading", { level: 1, name: address })).toBeVisible();
  const add = worker.locator("section", { has: worker.getByRole("heading", { name: "新增家庭成员" }) });
  await add.getByLabel("姓名").fill("钱淑兰");
  await add.getByLabel("出生年份（可不填）").fill("19");
  await add.getByRole("button", { name: "新增家庭成员" }).click();
  await expect(add.getByText("请填写四位数的出生年份。")).toBeVisible();
  await expect(add.getByLabel("姓名")).toHaveValue("钱淑兰");
  await add.getByLabel("出生年份（可不填）").fill("1937");
  await add.getByRole("button", { name: "新增家庭成员" }).click();
  await expect(worker.locator(".roll-person").first()).toContainText("钱淑兰");
  await expect(worker.locator(".roll-person").first()).toContainText("无账号");
  await expect(worker.locator(".roll-history")).toContainText("新增成员 · 钱淑兰");

  // A newcomer with an account joins the same household: verified at the same address, as a new person on the roll.
  const housemateName = `同户新居民${Math.floor(Math.random() * 100000)}`;
  const housemate = await newResident(browser, base, housemateName, address, true);

  // A households' vote of the hall, opened now: its electorate is frozen from the roll, the new household included.
  const hallId = await openHall(worker);
  await worker.goto(`/votes/new?hall=${hallId}`);
  const closes = await closingTime(worker.request, base, 7 * 86_400_000);
  const votePath = await openVote(
    worker,
    {
      question: `是否在胡同口增设夜间停车引导员 ${unique()}`,
      electorate: "按户投票（每户一票）",
      closes: closes.value,
      quorum: "5",
      threshold: "赞成多于反对（平票不通过）",
    },
    /还剩 \d+ 天/,
  );
  await expect(worker.getByTestId("turnout-channels")).toContainText("纸质 0");

  // A paper ballot for 钱淑兰 (no account), found on the roll by the household's address.
  await worker.getByLabel("输入姓名、地址或电话").fill(address);
  await worker.getByRole("button", { name: "查找" }).click();
  await worker.getByLabel(/钱淑兰/).check();
  await worker.getByLabel("会议").fill("12月5日入户征求意见");
  await worker.locator("section", { has: worker.getByRole("heading", { name: "登记纸质或现场选票" }) }).getByLabel("赞成").check();
  await worker.getByRole("button", { name: "登记选票" }).click();
  await expect(worker.getByText("纸质选票已登记。")).toBeVisible();
  await expect(worker.getByTestId("turnout-channels")).toContainText("纸质 1");

  // The housemate (an account, same household) cannot vote online as well, and is told why.
  await housemate.goto(votePath);
  await expect(housemate.getByText(/您家（钱淑兰）已于 .+ 在“12月5日入户征求意见”投了纸质选票（每户一票）。/)).toBeVisible();
  await expect(housemate.getByRole("button", { name: "投出选票" })).toHaveCount(0);
});
