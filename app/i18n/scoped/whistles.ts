/**
 * Whistles' messages (`whistle.*`, `assignment.*`, `dashboard.*`, `weights.*`, `inbox.*`,
 * `supervision.*`), both languages, for the whistle pages, the staff's queues, the
 * three rates dashboards and the proposal page (which escalates to a whistle):
 * importing this module adds them. What other pages show of them (notifications,
 * menu entries, states and links) is in messages/<language>/cross-domain.ts
 * (ADR 0005, amendments).
 */
import { extendCatalogs } from "../i18n";
import en from "../messages/en/whistles";
import zhCN from "../messages/zh-CN/whistles";

extendCatalogs({ "zh-CN": zhCN, en });
