import type { AddressInfo } from "node:net";
import { createServer, type Server } from "node:http";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { publish } from "#realtime/publish.server";
import { cspMiddleware } from "~/lib/csp.server";
import { pageCache } from "~/lib/page-cache.server";

/** A real HTTP server whose handler counts its renders, behind the page cache. */
async function serve(
  handler: (req: express.Request, res: express.Response, renders: number) => void,
  withCsp = false,
  members?: {
    sessions: Map<string, number>;
    post?: (req: express.Request, res: express.Response) => void;
    /** As the server does for `/inbox`: the reader's departments' rooms. */
    roomsOfReader?: (userId: number) => Promise<string[]>;
  },
) {
  let clock = 1_000;
  const cache = pageCache({
    ttlMs: 5_000,
    maxEntries: 2,
    maxMemberEntries: 3,
    now: () => clock,
    // As the server does: the session's person, or null for a session that is not (or no longer) live.
    whoIs: members ? async (token) => members.sessions.get(token) ?? null : undefined,
    roomsOfReader: members?.roomsOfReader,
  });
  let renders = 0;
  const app = express();
  if (withCsp) app.use(cspMiddleware(true));
  app.use(cache.middleware);
  app.get("*", (req, res) => {
    renders++;
    handler(req, res, renders);
  });
  app.post("*", (req, res) => (members?.post ? members.post(req, res) : res.status(204).end()));
  // As server.ts does: every request passes beforeWrite first, the JSON API's as well as Remix's.
  const server: Server = createServer((req, res) => {
    cache.beforeWrite(req, res);
    app(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const get = async (path: string, cookie?: string) => {
    const res = await fetch(base + path, { headers: cookie ? { cookie } : {} });
    return { status: res.status, body: await res.text(), hit: res.headers.get("x-page-cache") === "hit", csp: res.headers.get("content-security-policy") };
  };
  const post = async (path: string, cookie?: string) => (await fetch(base + path, { method: "POST", headers: cookie ? { cookie } : {} })).status;
  open.push({ server, close: cache.close });
  return { get, post, renders: () => renders, tick: (ms: number) => (clock += ms), cache };
}

const open: { server: Server; close: () => void }[] = [];
afterEach(async () => {
  for (const { server, close } of open.splice(0)) {
    close();
    await new Promise((resolve) => server.close(resolve));
  }
});

const page = (_req: express.Request, res: express.Response, n: number) => {
  // Written in two chunks, as Remix streams a body.
  res.setHeader("Content-Type", "text/html; charset=utf-8");
  res.write("<p>render ");
  res.end(`${n}</p>`);
};

describe("page cache for visitors", () => {
  it("serves a visitor's second look from memory, until the page's room has news", async () => {
    const s = await serve(page);
    expect(await s.get("/proposals/7")).toMatchObject({ body: "<p>render 1</p>", hit: false });
    expect(await s.get("/proposals/7")).toMatchObject({ body: "<p>render 1</p>", hit: true });
    publish({ room: "proposal:8", event: "hall:changed", args: [{ hallId: 1 }] } as never);
    expect(await s.get("/proposals/7")).toMatchObject({ hit: true });
    publish({ room: "proposal:7", event: "hall:changed", args: [{ hallId: 1 }] } as never);
    expect(await s.get("/proposals/7")).toMatchObject({ body: "<p>render 2</p>", hit: false });
    expect(s.renders()).toBe(2);
  });

  it("caches the home page and its data for visitors until the district's pulse, and nothing under it", async () => {
    const s = await serve(page);
    expect(await s.get("/")).toMatchObject({ body: "<p>render 1</p>", hit: false });
    expect(await s.get("/")).toMatchObject({ hit: true });
    expect(await s.get("/_root.data")).toMatchObject({ hit: false });
    expect(await s.get("/_root.data")).toMatchObject({ hit: true });
    expect(await s.get("/login")).toMatchObject({ hit: false });
    expect(await s.get("/login")).toMatchObject({ hit: false });
    publish({ room: "proposal:7", event: "hall:changed", args: [{ hallId: 1 }] } as never);
    expect(await s.get("/")).toMatchObject({ hit: true });
    publish({ room: "home", event: "home:changed", args: [{ at: 1 }] });
    expect(await s.get("/")).toMatchObject({ hit: false });
    expect(await s.get("/_root.data")).toMatchObject({ hit: false });
  });

  it("expires a page after its time to live", async () => {
    const s = await serve(page);
    await s.get("/halls/3");
    s.tick(4_999);
    expect(await s.get("/halls/3")).toMatchObject({ hit: true });
    s.tick(1);
    expect(await s.get("/halls/3")).toMatchObject({ body: "<p>render 2</p>", hit: false });
  });

  it("without a way to check sessions, never caches for a signed-in person; never other pages, errors or responses that set a cookie", async () => {
    const s = await serve((req, res, n) => {
      if (req.path === "/proposals/404") return void res.status(404).end("missing");
      if (req.path === "/proposals/5") res.setHeader("Set-Cookie", "a=b");
      page(req, res, n);
    });
    await s.get("/proposals/1", "gz_session=abc.def");
    expect(await s.get("/proposals/1", "gz_session=abc.def")).toMatchObject({ hit: false });
    await s.get("/settings");
    expect(await s.get("/settings")).toMatchObject({ hit: false });
    await s.get("/proposals/404");
    expect(await s.get("/proposals/404")).toMatchObject({ status: 404, hit: false });
    await s.get("/proposals/5");
    expect(await s.get("/proposals/5")).toMatchObject({ hit: false });
    expect(s.renders()).toBe(8);
  });

  it("keeps languages and text sizes apart, and holds at most maxEntries pages", async () => {
    const s = await serve(page);
    await s.get("/proposals/1", "gz_locale=en");
    expect(await s.get("/proposals/1", "gz_locale=zh-CN")).toMatchObject({ hit: false });
    expect(await s.get("/proposals/1", "gz_locale=en")).toMatchObject({ hit: true });
    await s.get("/proposals/2");
    expect(s.cache.size()).toBe(2);
    expect(await s.get("/proposals/1", "gz_locale=en")).toMatchObject({ hit: false }); // the oldest went first
  });

  it("renders a page once for many visitors arriving together", async () => {
    const s = await serve((req, res, n) => setTimeout(() => page(req, res, n), 50));
    const answers = await Promise.all(Array.from({ length: 20 }, () => s.get("/proposals/9")));
    expect(new Set(answers.map((a) => a.body))).toEqual(new Set(["<p>render 1</p>"]));
    expect(s.renders()).toBe(1);
  });
});

describe("page cache and the Content-Security-Policy nonce (ADR 0017)", () => {
  it("every copy served carries the nonce of its own response, never the one it was rendered with", async () => {
    const s = await serve((_req, res, n) => {
      const nonce = res.locals.cspNonce as string;
      res.setHeader("Content-Type", "text/html; charset=utf-8");
      res.write(`<script nonce="${nonce}">a()</script><p>render ${n}</p>`);
      res.end(`<script nonce="${nonce}">b()</script>`);
    }, true);
    const nonceOf = (csp: string | null) => /'nonce-([\w-]+)'/.exec(csp ?? "")?.[1];
    const answers = [await s.get("/proposals/7"), await s.get("/proposals/7"), await s.get("/proposals/7")];
    expect(answers.map((a) => a.hit)).toEqual([false, true, true]);
    expect(s.renders()).toBe(1);
    const nonces = answers.map((a) => nonceOf(a.csp));
    expect(new Set(nonces).size).toBe(3);
    answers.forEach((a, i) => {
      expect(a.body).toBe(`<script nonce="${nonces[i]}">a()</script><p>render 1</p><script nonce="${nonces[i]}">b()</script>`);
      expect(a.csp).toContain(`script-src 'self' 'nonce-${nonces[i]}'`);
      expect(/script-src[^;]*/.exec(a.csp ?? "")?.[0]).not.toContain("unsafe"); // scripts: never unsafe-inline or unsafe-eval
    });
  });
});

/** Tokens as the server issues them (`<session id>.<secret>`); two sessions of 王秀兰 (id 1, a phone and a laptop) and one of 李建国 (id 2). */
const WANG_PHONE = "wangphone.secret1";
const WANG_LAPTOP = "wanglaptop.secret2";
const LI = "lisession.secret3";
const cookie = (token: string) => `gz_session=${token}`;
/** A page that says whose it is, as the real pages' header does. */
const personal = (sessions: Map<string, number>) => (req: express.Request, res: express.Response, n: number) => {
  const token = /gz_session=([^;]+)/.exec(req.headers.cookie ?? "")?.[1];
  res.setHeader("Content-Type", "text/html; charset=utf-8");
  res.end(`<p>render ${n} for ${token ? sessions.get(token) : "a visitor"}</p>`);
};

describe("page cache for members (ADR 0044)", () => {
  const world = () => new Map([[WANG_PHONE, 1], [WANG_LAPTOP, 1], [LI, 2]]);

  it("keeps each member's copy apart from every other member's and from visitors'", async () => {
    const sessions = world();
    const s = await serve(personal(sessions), false, { sessions });
    expect(await s.get("/proposals/7", cookie(WANG_PHONE))).toMatchObject({ body: "<p>render 1 for 1</p>", hit: false });
    expect(await s.get("/proposals/7", cookie(LI))).toMatchObject({ body: "<p>render 2 for 2</p>", hit: false });
    expect(await s.get("/proposals/7")).toMatchObject({ body: "<p>render 3 for a visitor</p>", hit: false });
    expect(await s.get("/proposals/7", cookie(WANG_PHONE))).toMatchObject({ body: "<p>render 1 for 1</p>", hit: true });
    expect(await s.get("/proposals/7", cookie(LI))).toMatchObject({ body: "<p>render 2 for 2</p>", hit: true });
    expect(await s.get("/proposals/7")).toMatchObject({ body: "<p>render 3 for a visitor</p>", hit: true });
    // The same person on another device shares the copy (it is the person's, not the device's).
    expect(await s.get("/proposals/7", cookie(WANG_LAPTOP))).toMatchObject({ body: "<p>render 1 for 1</p>", hit: true });
    expect(s.cache.memberSize()).toBe(2);
  });

  it("serves nothing to a session that is no longer live, and never a visitor's copy to a member", async () => {
    const sessions = world();
    const s = await serve(personal(sessions), false, { sessions });
    await s.get("/proposals/7", cookie(LI));
    await s.get("/proposals/7");
    sessions.delete(LI); // logged out everywhere, or revoked by an administrator
    expect(await s.get("/proposals/7", cookie(LI))).toMatchObject({ body: "<p>render 3 for undefined</p>", hit: false });
    expect(await s.get("/proposals/7", cookie("forged.token"))).toMatchObject({ hit: false });
    expect(s.renders()).toBe(4);
  });

  it("drops a member's copies (and only theirs) on news in their own room and in the page's", async () => {
    const sessions = world();
    const s = await serve(personal(sessions), false, { sessions });
    await s.get("/proposals/7", cookie(WANG_PHONE));
    await s.get("/proposals/7", cookie(LI));
    publish({ room: "user:1", event: "hall:changed", args: [{ hallId: 1 }] } as never); // a notification for 王秀兰
    expect(await s.get("/proposals/7", cookie(WANG_PHONE))).toMatchObject({ body: "<p>render 3 for 1</p>", hit: false });
    expect(await s.get("/proposals/7", cookie(LI))).toMatchObject({ hit: true });
    publish({ room: "proposal:7", event: "hall:changed", args: [{ hallId: 1 }] } as never);
    expect(await s.get("/proposals/7", cookie(LI))).toMatchObject({ body: "<p>render 4 for 2</p>", hit: false });
  });

  it("after a member's own action, from any of their devices, their next look is a fresh render", async () => {
    const sessions = world();
    const s = await serve(personal(sessions), false, { sessions });
    await s.get("/proposals/7", cookie(WANG_PHONE));
    await s.get("/halls/2", cookie(WANG_PHONE));
    await s.get("/proposals/7", cookie(LI));
    // Following the proposal publishes nothing to its room; only the action itself tells the cache.
    expect(await s.post("/proposals/7", cookie(WANG_LAPTOP))).toBe(204);
    expect(await s.get("/proposals/7", cookie(WANG_PHONE))).toMatchObject({ body: "<p>render 4 for 1</p>", hit: false });
    expect(await s.get("/halls/2", cookie(WANG_PHONE))).toMatchObject({ hit: false });
    expect(await s.get("/proposals/7", cookie(LI))).toMatchObject({ body: "<p>render 3 for 2</p>", hit: true });
  });

  it("does not keep a render that overlapped the member's own action (it may show the state before it)", async () => {
    const sessions = world();
    let finishPost: () => void = () => {};
    const posted = new Promise<void>((resolve) => (finishPost = resolve));
    const s = await serve(personal(sessions), false, {
      sessions,
      // The action answers only when the test says (its transaction "commits" then).
      post: (_req, res) => void posted.then(() => res.status(204).end()),
    });
    const action = s.post("/proposals/7", cookie(WANG_PHONE));
    try {
      await new Promise((resolve) => setTimeout(resolve, 30)); // the action has started
      expect(await s.get("/proposals/7", cookie(WANG_LAPTOP))).toMatchObject({ body: "<p>render 1 for 1</p>", hit: false });
      expect(await s.get("/proposals/7", cookie(WANG_LAPTOP))).toMatchObject({ body: "<p>render 2 for 1</p>", hit: false });
    } finally {
      finishPost();
    }
    expect(await action).toBe(204);
    expect(await s.get("/proposals/7", cookie(WANG_LAPTOP))).toMatchObject({ body: "<p>render 3 for 1</p>", hit: false });
    expect(await s.get("/proposals/7", cookie(WANG_LAPTOP))).toMatchObject({ body: "<p>render 3 for 1</p>", hit: true });
    // Once nothing of hers runs, her write counter goes (the cache does not keep one per member who ever wrote).
    await expect.poll(() => s.cache.writeCounters()).toBe(0);
  });

  it("keeps a member's notifications until a new one reaches them or they mark them read", async () => {
    const sessions = world();
    const s = await serve(personal(sessions), false, { sessions });
    await s.get("/notifications", cookie(WANG_PHONE));
    await s.get("/notifications", cookie(LI));
    expect(await s.get("/notifications", cookie(WANG_PHONE))).toMatchObject({ body: "<p>render 1 for 1</p>", hit: true });
    publish({ room: "user:2", event: "notification:new", args: [{ id: 1, kind: "x", params: {}, link: null, createdAt: "" }] });
    expect(await s.get("/notifications", cookie(LI))).toMatchObject({ body: "<p>render 3 for 2</p>", hit: false });
    expect(await s.get("/notifications", cookie(WANG_PHONE))).toMatchObject({ hit: true });
    expect(await s.post("/notifications", cookie(WANG_PHONE))).toBe(204); // 全部标为已读
    expect(await s.get("/notifications", cookie(WANG_PHONE))).toMatchObject({ body: "<p>render 4 for 1</p>", hit: false });
  });

  it("keeps a member's own page until others' decisions about them reach their room, or they act", async () => {
    const sessions = world();
    const s = await serve(personal(sessions), false, { sessions });
    await s.get("/me", cookie(WANG_PHONE));
    expect(await s.get("/me.data", cookie(WANG_PHONE))).toMatchObject({ hit: false });
    expect(await s.get("/me", cookie(WANG_PHONE))).toMatchObject({ body: "<p>render 1 for 1</p>", hit: true });
    // An administrator revokes her position: her copy goes, nobody else's.
    await s.get("/me", cookie(LI));
    publish({ room: "user:1", event: "me:changed", args: [{ userId: 1 }] });
    expect(await s.get("/me", cookie(WANG_PHONE))).toMatchObject({ hit: false });
    expect(await s.get("/me", cookie(LI))).toMatchObject({ hit: true });
    expect(await s.post("/me", cookie(WANG_PHONE))).toBe(204); // her own claim, from any device
    expect(await s.get("/me", cookie(WANG_PHONE))).toMatchObject({ hit: false });
  });

  it("keeps an officer's inbox until news in one of their departments' rooms, re-reading their departments after news in their own room", async () => {
    const sessions = world();
    const departments = new Map([[1, ["department:5"]], [2, ["department:6"]]]);
    let lookups = 0;
    const roomsOfReader = async (userId: number) => (lookups++, departments.get(userId) ?? []);
    const s = await serve(personal(sessions), false, { sessions, roomsOfReader });
    expect(await s.get("/inbox", cookie(WANG_PHONE))).toMatchObject({ body: "<p>render 1 for 1</p>", hit: false });
    expect(await s.get("/inbox?page=2", cookie(WANG_PHONE))).toMatchObject({ hit: false });
    expect(await s.get("/inbox", cookie(LI))).toMatchObject({ body: "<p>render 3 for 2</p>", hit: false });
    expect(await s.get("/inbox", cookie(WANG_LAPTOP))).toMatchObject({ body: "<p>render 1 for 1</p>", hit: true });
    expect(lookups).toBe(2); // once per person, not per look (maxMemberEntries is 3 here)
    // A colleague signs one of department 5's assignments: 王秀兰's inbox goes (both pages), 李's stays.
    publish({ room: "department:5", event: "whistle:changed", args: [{ whistleId: 1, proposalId: null }] });
    expect(await s.get("/inbox", cookie(WANG_PHONE))).toMatchObject({ body: "<p>render 4 for 1</p>", hit: false });
    expect(await s.get("/inbox?page=2", cookie(WANG_PHONE))).toMatchObject({ hit: false });
    expect(await s.get("/inbox", cookie(LI))).toMatchObject({ body: "<p>render 3 for 2</p>", hit: true });
    // 李 is given a position in department 7 (a notification reaches his room): his departments are read again.
    departments.set(2, ["department:6", "department:7"]);
    publish({ room: "user:2", event: "me:changed", args: [{ userId: 2 }] });
    expect(await s.get("/inbox", cookie(LI))).toMatchObject({ hit: false });
    expect(lookups).toBe(3);
    expect(await s.get("/inbox", cookie(LI))).toMatchObject({ hit: true });
    publish({ room: "department:7", event: "whistle:changed", args: [{ whistleId: 2, proposalId: null }] });
    expect(await s.get("/inbox", cookie(LI))).toMatchObject({ hit: false });
    expect(await s.get("/inbox", cookie(WANG_PHONE))).toMatchObject({ hit: true });
    // Their own action (signing an assignment) drops their copy at once, whatever it announces.
    expect(await s.post("/api/assignments/1", cookie(WANG_LAPTOP))).toBe(204);
    expect(await s.get("/inbox", cookie(WANG_PHONE))).toMatchObject({ hit: false });
  });

  it("reads an officer's departments again when news reaches his room while they are being read", async () => {
    const sessions = world();
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let lookups = 0;
    const departments = ["department:5"];
    const roomsOfReader = async () => {
      lookups++;
      const now = [...departments];
      if (lookups === 1) await held; // the first read is slow, and its answer is already old when it comes
      return now;
    };
    const s = await serve(personal(sessions), false, { sessions, roomsOfReader });
    const first = s.get("/inbox", cookie(WANG_PHONE));
    await new Promise((resolve) => setTimeout(resolve, 30));
    departments.push("department:7"); // a position granted while his departments were being read
    publish({ room: "user:1", event: "me:changed", args: [{ userId: 1 }] });
    release();
    expect(await first).toMatchObject({ hit: false });
    expect(lookups).toBe(2);
    expect(await s.get("/inbox", cookie(WANG_PHONE))).toMatchObject({ hit: true });
    // The copy listens to the new department's room.
    publish({ room: "department:7", event: "whistle:changed", args: [{ whistleId: 3, proposalId: null }] });
    expect(await s.get("/inbox", cookie(WANG_PHONE))).toMatchObject({ hit: false });
  });

  it("never caches a page that depends on its reader without a way to know the reader's rooms, nor for a visitor", async () => {
    const sessions = world();
    const s = await serve(personal(sessions), false, { sessions });
    await s.get("/inbox", cookie(WANG_PHONE));
    expect(await s.get("/inbox", cookie(WANG_PHONE))).toMatchObject({ body: "<p>render 2 for 1</p>", hit: false });
    // Nor for a visitor, whatever the route answers (the real one sends them to log in).
    await s.get("/inbox");
    expect(await s.get("/inbox")).toMatchObject({ body: "<p>render 4 for a visitor</p>", hit: false });
  });

  it("never gives a visitor a member's page, whatever the visitor's cookies say", async () => {
    const sessions = world();
    // A slow render of 王秀兰's own page, and a visitor asking for the same address meanwhile with a language cookie
    // made to look like the start of her key (the keys were once "<person>|<language>|<size>|<address>").
    const slow = (req: express.Request, res: express.Response, n: number) => void setTimeout(() => personal(sessions)(req, res, n), 150);
    const s = await serve(slow, false, { sessions });
    const hers = s.get("/me", cookie(WANG_PHONE));
    await new Promise((resolve) => setTimeout(resolve, 30));
    const visitor = await s.get("/me", "gz_locale=1%7C");
    expect(visitor.body).toBe("<p>render 2 for a visitor</p>");
    expect((await hers).body).toBe("<p>render 1 for 1</p>");
  });

  it("holds at most maxMemberEntries members' pages, apart from the visitors' budget", async () => {
    const sessions = world();
    const s = await serve(personal(sessions), false, { sessions });
    await s.get("/proposals/1");
    await s.get("/proposals/2");
    for (const id of [1, 2, 3, 4]) await s.get(`/proposals/${id}`, cookie(LI));
    expect(s.cache.memberSize()).toBe(3);
    expect(s.cache.size()).toBe(2);
    expect(await s.get("/proposals/1")).toMatchObject({ hit: true }); // members' pages did not push visitors' out
    expect(await s.get("/proposals/1", cookie(LI))).toMatchObject({ hit: false }); // the member's oldest went first
  });
});
