/**
 * Votes' messages (`vote.*`, `teller.*`, `board.*`), both languages, for the vote pages
 * and the pages that open or cast a vote (the proposal page, service projects' panels):
 * importing this module adds them. What other pages show of them (notifications,
 * menu entries, states and links) is in messages/<language>/cross-domain.ts
 * (ADR 0005, amendments).
 */
import { extendCatalogs } from "../i18n";
import en from "../messages/en/votes";
import zhCN from "../messages/zh-CN/votes";

extendCatalogs({ "zh-CN": zhCN, en });
