import { defineMessages } from "./define";

/** Units, residents, Party members, organisations, alleys, the staff desk. */
export default defineMessages(
  {
    "unit.kind.city": "市",
  },
  {
    "unit.kind.city": "City",
  },
);
