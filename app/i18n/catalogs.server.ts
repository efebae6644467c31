import { registerCatalog, type Locale, type MessageKey } from "./i18n";
import en from "./messages/en";
import enAdmin from "./messages/en/admin";
import zhCN from "./messages/zh-CN";
import zhAdmin from "./messages/zh-CN/admin";
import enVotePage from "./messages/en/vote-page";
import zhVotePage from "./messages/zh-CN/vote-page";
import enProjects from "./messages/en/projects";
import zhProjects from "./messages/zh-CN/projects";
import enBids from "./messages/en/bids";
import zhBids from "./messages/zh-CN/bids";
import enContracts from "./messages/en/contracts";
import zhContracts from "./messages/zh-CN/contracts";
import enMeetings from "./messages/en/meetings";
import zhMeetings from "./messages/zh-CN/meetings";

/** Both languages, every domain, registered as soon as the server (or a test) imports this module. */
export const catalogs: Record<Locale, Record<MessageKey, string>> = {
  "zh-CN": { ...zhCN, ...zhAdmin, ...zhVotePage, ...zhProjects, ...zhBids, ...zhContracts, ...zhMeetings },
  en: { ...en, ...enAdmin, ...enVotePage, ...enProjects, ...enBids, ...enContracts, ...enMeetings },
};
registerCatalog("zh-CN", catalogs["zh-CN"]);
registerCatalog("en", catalogs.en);
