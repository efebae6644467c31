import dutyList from "./duty-list.json" with { type: "json" };

/**
 * The default duty list (职责清单), 1+5+N department kinds and pledge
 * categories: a copy of shared/data/duty-list.json. Reference data the app
 * owns (the administration's pages name department kinds from it); the demo
 * seed and the tests read it from here, never the other way round.
 */
export interface DepartmentKind {
  code: string;
  zh: string;
  en: string;
  level: "subdistrict" | "station" | "district";
  roster: "lead" | "stationed" | "on_call";
}
export interface Category {
  code: string;
  zh: string;
  en: string;
  lead: string[];
  cooperate: string[];
  whistleKind: "key_task" | "enforcement" | "emergency";
}

export const departmentKinds = dutyList.departmentKinds as DepartmentKind[];
export const categoryList = dutyList.categories as Category[];
export const pledgeCategories = dutyList.pledgeCategories as { code: string; zh: string; en: string }[];
