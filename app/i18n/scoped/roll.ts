/**
 * The roll of residents' messages (`roll.*`, and the paper ballots chosen from it), both
 * languages, for the desk, the roll's pages and the vote pages:
 * importing this module adds them. What other pages show of them (notifications,
 * menu entries, states and links) is in messages/<language>/cross-domain.ts
 * (ADR 0005, amendments).
 */
import { extendCatalogs } from "../i18n";
import en from "../messages/en/roll";
import zhCN from "../messages/zh-CN/roll";

extendCatalogs({ "zh-CN": zhCN, en });
