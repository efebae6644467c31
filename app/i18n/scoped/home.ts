/**
 * The home page's own messages (the district now, a resident's own home:
 * messages/<language>/home.ts), both languages, for the home page only:
 * importing this module adds them (ADR 0005, amendments).
 */
import { extendCatalogs } from "../i18n";
import en from "../messages/en/home";
import zhCN from "../messages/zh-CN/home";

extendCatalogs({ "zh-CN": zhCN, en });
