/**
 * The governance structure's messages (`unit.*`, `organization.*`, `residency.*`,
 * `party.*`, `position.*`, `desk.*`, `alley.*`, `roster.*`), both languages, for
 * `/me`, the staff's desk, organisations, units and the administration:
 * importing this module adds them. What other pages show of them (notifications,
 * a few labels and errors) is in messages/<language>/cross-domain.ts (ADR 0005,
 * amendments).
 */
import { extendCatalogs } from "../i18n";
import en from "../messages/en/structure";
import zhCN from "../messages/zh-CN/structure";

extendCatalogs({ "zh-CN": zhCN, en });
