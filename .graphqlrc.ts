import { adminCodegenProject } from "./scripts/graphql-codegen";

// `npm run graphql-codegen` regenerates app/types from the documents in app/ (docs/redemption.md).
export default { projects: { default: adminCodegenProject() } };
