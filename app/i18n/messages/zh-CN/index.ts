import core from "./core";
import structure from "./structure";
import admin from "./admin";
import halls from "./halls";
import votes from "./votes";
import whistles from "./whistles";

/** Every message in Simplified Chinese, the default language and the source of keys. One file a domain. */
export default { ...core, ...structure, ...admin, ...halls, ...votes, ...whistles };
