import core from "./core";
import halls from "./halls";
import everyday from "./everyday";
import crossDomain from "./cross-domain";

/** Every message in Simplified Chinese, the default language and the source of keys. One file a domain. Only the domains most pages show are here (core, halls, everyday); the others are loaded by the pages that use them (../../scoped/, ADR 0005 amendments), and what other pages show of those is in cross-domain.ts. */
export default { ...core, ...halls, ...everyday, ...crossDomain };
