import { registerCatalog, type Locale, type MessageKey } from "./i18n";
import en from "./messages/en";
import enAdmin from "./messages/en/admin";
import zhCN from "./messages/zh-CN";
import zhAdmin from "./messages/zh-CN/admin";
import enVotePage from "./messages/en/vote-page";
import zhVotePage from "./messages/zh-CN/vote-page";

/** Both languages, every domain, registered as soon as the server (or a test) imports this module. */
export const catalogs: Record<Locale, Record<MessageKey, string>> = { "zh-CN": { ...zhCN, ...zhAdmin, ...zhVotePage }, en: { ...en, ...enAdmin, ...enVotePage } };
registerCatalog("zh-CN", catalogs["zh-CN"]);
registerCatalog("en", catalogs.en);
