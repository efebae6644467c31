import { MAX_PHOTO_BYTES, MAX_PHOTOS } from "./uploads";

/** The long side of a stored photo; the browser downscales to it before sending (ADR 0023). */
export const MAX_PHOTO_SIDE = 2048;
/** The largest photo form the server reads into a page: every photo at its limit plus the text. */
export const MAX_BODY_BYTES = MAX_PHOTOS * MAX_PHOTO_BYTES + 512 * 1024;
