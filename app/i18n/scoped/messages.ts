/**
 * Messages by SMS and email (`messages.*`), both languages, for the message settings,
 * unsubscribing, the delivery queue and the demo outbox:
 * importing this module adds them. What other pages show of them (notifications,
 * menu entries, states and links) is in messages/<language>/cross-domain.ts
 * (ADR 0005, amendments).
 */
import { extendCatalogs } from "../i18n";
import en from "../messages/en/messages";
import zhCN from "../messages/zh-CN/messages";

extendCatalogs({ "zh-CN": zhCN, en });
