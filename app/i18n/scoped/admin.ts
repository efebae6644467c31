/**
 * The district administration's messages (`admin.*`), both languages, for the
 * pages under /admin only: importing this module adds them. The other pages,
 * residents' above all, do not download them (ADR 0005, amendment).
 */
import { extendCatalogs } from "../i18n";
import en from "../messages/en/admin";
import zhCN from "../messages/zh-CN/admin";

extendCatalogs({ "zh-CN": zhCN, en });
