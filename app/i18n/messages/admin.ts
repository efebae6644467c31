import { defineMessages } from "./define";

/** District administration: structure, positions, duty list, roster, audit. */
export default defineMessages(
  {
    "admin.title": "区级管理",
  },
  {
    "admin.title": "District administration",
  },
);
