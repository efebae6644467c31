/**
 * A community's three lists (`need.*`, `resource.*`, `claim.*`, `lists.*`), both
 * languages, for the lists' pages and the proposal page (which raises a need):
 * importing this module adds them. What other pages show of them (notifications,
 * menu entries, states and links) is in messages/<language>/cross-domain.ts
 * (ADR 0005, amendments).
 */
import { extendCatalogs } from "../i18n";
import en from "../messages/en/service-lists";
import zhCN from "../messages/zh-CN/service-lists";

extendCatalogs({ "zh-CN": zhCN, en });
