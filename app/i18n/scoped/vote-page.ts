/**
 * The vote page's own messages (`voteResult.*`, `voteStanding.*`), both
 * languages, for the vote page only: importing this module adds them. Other
 * pages do not download them (ADR 0005, amendment; ADR 0019).
 */
import { extendCatalogs } from "../i18n";
import en from "../messages/en/vote-page";
import zhCN from "../messages/zh-CN/vote-page";

extendCatalogs({ "zh-CN": zhCN, en });
