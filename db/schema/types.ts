import { customType } from "drizzle-orm/pg-core";

export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => "bytea",
  // postgres.js returns a Buffer and PGlite a Uint8Array: both are Uint8Array.
  fromDriver: (v) => new Uint8Array(v),
});
