import { beforeAll, beforeEach } from "vitest";
import { resetDatabase, testDatabase } from "./test-db";

beforeAll(async () => {
  await testDatabase();
});

beforeEach(async () => {
  await resetDatabase();
});
