import { registerCatalog, type Catalog, type Locale } from "./i18n";
import en from "./messages/en";
import zhCN from "./messages/zh-CN";

/** Both languages, registered as soon as the server (or a test) imports this module. */
export const catalogs: Record<Locale, Catalog> = { "zh-CN": zhCN, en };
registerCatalog("zh-CN", zhCN);
registerCatalog("en", en);
