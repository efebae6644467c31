import core from "./core";
import halls from "./halls";
import everyday from "./everyday";
import crossDomain from "./cross-domain";

/** Every message in English; the compiler checks each domain has exactly the Chinese keys. One file a domain. Only the domains most pages show are here (core, halls, everyday); the others are loaded by the pages that use them (../../scoped/, ADR 0005 amendments), and what other pages show of those is in cross-domain.ts. */
export default { ...core, ...halls, ...everyday, ...crossDomain };
