// The AWS site and the pieces it is built from.

export { consulServerTag, consulTags } from "./consul";
export { instanceTypeFor, rdsInstanceClassFor } from "./machine-types";
export { Database, type DatabaseRestore } from "./rds";
export { AwsSite, type AwsSiteArgs, type SiteDatabase } from "./site";
