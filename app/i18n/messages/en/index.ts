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
import crossDomain from "./cross-domain";

/** Every message in English; the compiler checks each domain has exactly the Chinese keys. One file a domain; the staff-only `admin` domain, service projects (with bids and contracts) and meetings are not here but loaded by the pages that use them (../../scoped/); what other pages show of those is in cross-domain.ts. */
export default { ...core, ...structure, ...halls, ...votes, ...whistles, ...roll, ...pledges, ...messages, ...everyday, ...home, ...wishes, ...serviceLists, ...crossDomain };
