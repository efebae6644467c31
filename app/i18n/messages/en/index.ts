import core from "./core";
import structure from "./structure";
import admin from "./admin";
import halls from "./halls";
import votes from "./votes";
import whistles from "./whistles";

/** Every message in English; the compiler checks each domain has exactly the Chinese keys. One file a domain. */
export default { ...core, ...structure, ...admin, ...halls, ...votes, ...whistles };
