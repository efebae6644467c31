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
import enVotes from "./messages/en/votes";
import zhVotes from "./messages/zh-CN/votes";
import enWhistles from "./messages/en/whistles";
import zhWhistles from "./messages/zh-CN/whistles";
import enRoll from "./messages/en/roll";
import zhRoll from "./messages/zh-CN/roll";
import enPledges from "./messages/en/pledges";
import zhPledges from "./messages/zh-CN/pledges";
import enMessages from "./messages/en/messages";
import zhMessages from "./messages/zh-CN/messages";
import enStructure from "./messages/en/structure";
import zhStructure from "./messages/zh-CN/structure";
import enHome from "./messages/en/home";
import zhHome from "./messages/zh-CN/home";
import enWishes from "./messages/en/wishes";
import zhWishes from "./messages/zh-CN/wishes";
import enServiceLists from "./messages/en/service-lists";
import zhServiceLists from "./messages/zh-CN/service-lists";

/** Both languages, every domain, registered as soon as the server (or a test) imports this module. */
export const catalogs: Record<Locale, Record<MessageKey, string>> = {
  "zh-CN": { ...zhCN, ...zhAdmin, ...zhVotePage, ...zhProjects, ...zhBids, ...zhContracts, ...zhMeetings, ...zhVotes, ...zhWhistles, ...zhRoll, ...zhPledges, ...zhMessages, ...zhWishes, ...zhServiceLists, ...zhHome, ...zhStructure },
  en: { ...en, ...enAdmin, ...enVotePage, ...enProjects, ...enBids, ...enContracts, ...enMeetings, ...enVotes, ...enWhistles, ...enRoll, ...enPledges, ...enMessages, ...enWishes, ...enServiceLists, ...enHome, ...enStructure },
};
registerCatalog("zh-CN", catalogs["zh-CN"]);
registerCatalog("en", catalogs.en);
