/**
 * Pledges' and volunteer activities' messages (`pledge.*`, `activity.*`, `record.*`,
 * `service.*`, `stars.*`), both languages, for their own pages and the service dashboards:
 * importing this module adds them. What other pages show of them (notifications,
 * menu entries, states and links) is in messages/<language>/cross-domain.ts
 * (ADR 0005, amendments).
 */
import { extendCatalogs } from "../i18n";
import en from "../messages/en/pledges";
import zhCN from "../messages/zh-CN/pledges";

extendCatalogs({ "zh-CN": zhCN, en });
