/**
 * Hall meetings' messages (\`meeting.*\`), both languages, for the meeting pages
 * and a hall's list of meetings: importing this module adds them. What other
 * pages show of meetings (their notifications, the hall page's link) is in
 * messages/<language>/cross-domain.ts.
 */
import { extendCatalogs } from "../i18n";
import en from "../messages/en/meetings";
import zhCN from "../messages/zh-CN/meetings";

extendCatalogs({ "zh-CN": zhCN, en });
