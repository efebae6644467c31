export * from "./identity";
export * from "./notifications";
export * from "./realtime";
export * from "./units";
export * from "./people";
export * from "./halls";
export * from "./votes";
export * from "./whistles";
