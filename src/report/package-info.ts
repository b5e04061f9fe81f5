/** The package's name, root folder and version (src/policy/package.ts, where the policy layer reads them too). */
export { PACK_NAME, packageRoot, packageVersion } from "../policy/package";
