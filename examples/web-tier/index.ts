/** Program entry for `pulumi preview` (Pulumi.yaml main). `pulumi config set variant broken` selects the broken variant. */
import * as pulumi from "@pulumi/pulumi";
import { webTier } from "./program";

const variant = new pulumi.Config().get("variant") === "broken" ? "broken" : "correct";
export const outputs = webTier(variant);
