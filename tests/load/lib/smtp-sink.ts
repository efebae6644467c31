/**
 * A local SMTP server in its own process for the deliveries benchmark (so it
 * has a core of its own, as a real mail relay would): counts what arrives,
 * keeps nothing. Prints its URL as the first line; answers "count" on IPC.
 */
import { startSmtp } from "../../support/message-fakes";

const smtp = await startSmtp({ keep: false });
process.send?.({ url: smtp.url });
process.on("message", (m: unknown) => {
  if (m === "count") process.send?.({ count: smtp.count });
  if (m === "stop") void smtp.close().then(() => process.exit(0));
});
