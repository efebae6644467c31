import type zhAdmin from "./zh-CN/admin";
import type zhCN from "./zh-CN";
import type zhVotePage from "./zh-CN/vote-page";
import type zhProjects from "./zh-CN/projects";
import type zhBids from "./zh-CN/bids";
import type zhContracts from "./zh-CN/contracts";
import type zhMeetings from "./zh-CN/meetings";
import type zhVotes from "./zh-CN/votes";
import type zhWhistles from "./zh-CN/whistles";
import type zhRoll from "./zh-CN/roll";
import type zhPledges from "./zh-CN/pledges";
import type zhMessages from "./zh-CN/messages";
import type zhStructure from "./zh-CN/structure";
import type zhHome from "./zh-CN/home";
import type zhWishes from "./zh-CN/wishes";
import type zhServiceLists from "./zh-CN/service-lists";

/**
 * Every message of the product, one file a domain and language: `zh-CN/` is
 * the default language and the source of keys, `en/` the second (its files
 * must have exactly the same keys). Each language is its own chunk: a page
 * downloads only the catalogue it speaks (see `loadCatalog` in ../i18n.ts).
 */
export type MessageKey =
  | keyof typeof zhCN
  | keyof typeof zhAdmin
  | keyof typeof zhVotePage
  | keyof typeof zhProjects
  | keyof typeof zhBids
  | keyof typeof zhContracts
  | keyof typeof zhMeetings
  | keyof typeof zhVotes
  | keyof typeof zhWhistles
  | keyof typeof zhRoll
  | keyof typeof zhPledges
  | keyof typeof zhMessages
  | keyof typeof zhWishes
  | keyof typeof zhServiceLists
  | keyof typeof zhHome
  | keyof typeof zhStructure;
