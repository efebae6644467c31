/**
 * Micro-wishes' messages (`wish.*`), both languages, for the wish pages and `/me`:
 * importing this module adds them. What other pages show of them (notifications,
 * menu entries, states and links) is in messages/<language>/cross-domain.ts
 * (ADR 0005, amendments).
 */
import { extendCatalogs } from "../i18n";
import en from "../messages/en/wishes";
import zhCN from "../messages/zh-CN/wishes";

extendCatalogs({ "zh-CN": zhCN, en });
