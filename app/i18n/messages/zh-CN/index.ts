import core from "./core";
import structure from "./structure";
import halls from "./halls";
import votes from "./votes";
import whistles from "./whistles";
import roll from "./roll";
import pledges from "./pledges";
import serviceLists from "./service-lists";
import messages from "./messages";
import everyday from "./everyday";
import home from "./home";
import wishes from "./wishes";
import projects from "./projects";
import contracts from "./contracts";
import meetings from "./meetings";
import bids from "./bids";

/** Every message in Simplified Chinese, the default language and the source of keys. One file a domain; the staff-only `admin` domain is not here but loaded by the pages that use it (../../scoped/admin.ts). */
export default { ...core, ...structure, ...halls, ...votes, ...whistles, ...roll, ...pledges, ...messages, ...everyday, ...home, ...wishes, ...serviceLists, ...projects, ...contracts, ...meetings, ...bids };
