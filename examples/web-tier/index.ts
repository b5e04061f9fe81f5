/**
 * Program entry for `pulumi preview` (Pulumi.yaml main). `pulumi config set variant broken` selects
 * the broken variant; `pulumi config set webSgSources '["100.125.0.0/16","10.0.0.0/8"]'` changes the
 * web security group's rules (one per source); `pulumi config set --secret adminPass ...` sets the
 * game server's admin password.
 */
import * as pulumi from "@pulumi/pulumi";
import { webTier } from "./program";

const config = new pulumi.Config();
const variant = config.get("variant") === "broken" ? "broken" : "correct";
export const outputs = webTier(variant, { webSgSources: config.getObject<string[]>("webSgSources"), adminPass: config.getSecret("adminPass") });
