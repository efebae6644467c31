/**
 * Service projects' messages (\`project.*\`, \`bids.*\`, \`opener.*\`, \`contract.*\`),
 * both languages, for the pages of service projects and organisations' profiles:
 * importing this module adds them. What other pages show of projects (their
 * notifications, the menu entry) is in messages/<language>/cross-domain.ts.
 */
import { extendCatalogs } from "../i18n";
import enBids from "../messages/en/bids";
import enContracts from "../messages/en/contracts";
import enProjects from "../messages/en/projects";
import zhBids from "../messages/zh-CN/bids";
import zhContracts from "../messages/zh-CN/contracts";
import zhProjects from "../messages/zh-CN/projects";

extendCatalogs({ "zh-CN": { ...zhProjects, ...zhBids, ...zhContracts }, en: { ...enProjects, ...enBids, ...enContracts } });
