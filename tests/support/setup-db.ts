// Both message catalogues, as the server entry registers them.
import "~/i18n/catalogs.server";
import { beforeAll, beforeEach } from "vitest";
import { resetDatabase, testDatabase } from "./test-db";

beforeAll(async () => {
  await testDatabase();
});

beforeEach(async () => {
  await resetDatabase();
});
