/**
 * Fix operations (operations.ts) as code to paste: Pulumi TypeScript for the Huawei provider SDK
 * (`@huaweicloudos/pulumi`, imported as `huaweicloud`) and Pulumi YAML. Variables are named after the
 * resources (`web-sg` → `webSg`); a list insert shows the item and where it goes.
 */
import { tokenInfo } from "../model/tokens";
import { isRef } from "./apply";
import type { FixOperation } from "./operations";

export type FixLanguage = "typescript" | "yaml" | "none";
export const FIX_LANGUAGES: readonly FixLanguage[] = ["typescript", "yaml", "none"];

/** `urn:...::web-sg` → `web-sg`. */
const nameOfUrn = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

/** A TypeScript identifier from a resource name: `web-sg` → `webSg`, `1st` → `r1st`. */
export function variableName(name: string): string {
    const words = name.split(/[^A-Za-z0-9]+/).filter((w) => w !== "");
    const id = words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join("");
    return id === "" ? "resource" : /^[0-9]/.test(id) ? `r${id}` : id;
}

/** `huaweicloud:Vpc/secgroupRule:SecgroupRule` → `huaweicloud.vpc.SecgroupRule`; index tokens → `huaweicloud.NetworkingSecgroupRule`. */
export function sdkClass(type: string): string {
    const m = /^huaweicloud:([^/]+)\/[^:]+:(.+)$/.exec(type);
    if (!m) return type;
    return m[1] === "index" || tokenInfo(type)?.style === "index" ? `huaweicloud.${m[2]}` : `huaweicloud.${m[1].toLowerCase()}.${m[2]}`;
}

const where = (index: number) => (index === 0 ? "at the start" : `before item ${index} (0-based)`);

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function tsValue(v: unknown, indent: string): string {
    if (isRef(v)) return `${variableName(nameOfUrn(v.ref))}.${IDENT.test(v.property) ? v.property : `[${JSON.stringify(v.property)}]`}`;
    if (Array.isArray(v)) return v.length === 0 ? "[]" : `[\n${v.map((x) => `${indent}    ${tsValue(x, indent + "    ")},`).join("\n")}\n${indent}]`;
    if (v !== null && typeof v === "object") {
        const entries = Object.entries(v);
        if (entries.length === 0) return "{}";
        return `{\n${entries.map(([k, x]) => `${indent}    ${IDENT.test(k) ? k : JSON.stringify(k)}: ${tsValue(x, indent + "    ")},`).join("\n")}\n${indent}}`;
    }
    return JSON.stringify(v);
}

/** One operation as TypeScript. */
export function toTypeScript(op: FixOperation): string {
    switch (op.op) {
        case "add-resource":
            return `const ${variableName(op.name)} = new ${sdkClass(op.type)}(${JSON.stringify(op.name)}, ${tsValue(op.inputs, "")});`;
        case "insert-item":
            return `// ${variableName(nameOfUrn(op.urn))} (${nameOfUrn(op.urn)}): insert into ${op.property} ${where(op.index)}:\n${tsValue(op.value, "")},`;
        case "set-property":
            if (op.value === null) return `// on ${variableName(nameOfUrn(op.urn))} (${nameOfUrn(op.urn)}): remove ${op.property} (leave it unset)`;
            return `// on ${variableName(nameOfUrn(op.urn))} (${nameOfUrn(op.urn)}): set ${op.property}: ${tsValue(op.value, "//")}`;
        case "remove-resource":
            return `// delete the resource ${JSON.stringify(nameOfUrn(op.urn))} (${variableName(nameOfUrn(op.urn))}) from the program`;
    }
}

const YAML_PLAIN = /^[A-Za-z0-9][A-Za-z0-9_./-]*$/;
const YAML_RESERVED = /^(true|false|yes|no|on|off|null|~|y|n)$/i;

function yamlScalar(v: unknown): string {
    if (typeof v === "string") return YAML_PLAIN.test(v) && !YAML_RESERVED.test(v) && !/^[0-9.]+$/.test(v) ? v : JSON.stringify(v);
    return JSON.stringify(v);
}

/** Pulumi YAML: a reference is `${name.property}` (a string). */
function yamlLines(v: unknown, indent: string): string[] {
    if (isRef(v)) return [`\${${nameOfUrn(v.ref)}.${v.property}}`];
    if (Array.isArray(v)) {
        if (v.length === 0) return ["[]"];
        return v.flatMap((x) => {
            const inner = yamlLines(x, indent + "  ");
            return isBlock(x) ? [`\n${indent}- ${inner[0].trimStart()}`, ...inner.slice(1)] : [`\n${indent}- ${inner.join("")}`];
        });
    }
    if (v !== null && typeof v === "object") {
        const entries = Object.entries(v);
        if (entries.length === 0) return ["{}"];
        return entries.map(([k, x]) => {
            const inner = yamlLines(x, indent + "  ");
            return isBlock(x) ? `\n${indent}${k}:${inner.join("")}` : `\n${indent}${k}: ${inner.join("")}`;
        });
    }
    return [yamlScalar(v)];
}

const isBlock = (v: unknown) => !isRef(v) && ((Array.isArray(v) && v.length > 0) || (v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length > 0));

const yamlBlock = (v: unknown, indent: string) => yamlLines(v, indent).join("").replace(/^\n/, "");

/** One operation as Pulumi YAML. */
export function toYaml(op: FixOperation): string {
    switch (op.op) {
        case "add-resource":
            return `resources:\n  ${op.name}:\n    type: ${op.type}\n    properties:\n${yamlBlock(op.inputs, "      ")}`;
        case "insert-item": {
            const item = isBlock(op.value) ? `- ${yamlBlock(op.value, "  ").trimStart()}` : `- ${yamlBlock(op.value, "")}`;
            return `# ${nameOfUrn(op.urn)}: insert into properties.${op.property} ${where(op.index)}:\n${item}`;
        }
        case "set-property":
            if (op.value === null) return `# on ${nameOfUrn(op.urn)}: remove properties.${op.property} (leave it unset)`;
            return `# on ${nameOfUrn(op.urn)}: set properties.${op.property}:${isBlock(op.value) ? "\n" + yamlBlock(op.value, "#   ") : " " + yamlBlock(op.value, "")}`;
        case "remove-resource":
            return `# delete the resource ${nameOfUrn(op.urn)} from resources:`;
    }
}

/** Operations as code, in one language; "" for none. Inserts into the same place share one comment. */
export function fixCode(ops: readonly FixOperation[], language: FixLanguage): string {
    if (language === "none" || ops.length === 0) return "";
    const render = language === "typescript" ? toTypeScript : toYaml;
    const out: string[] = [];
    let place = "";
    for (const op of ops) {
        const here = op.op === "insert-item" ? `${op.urn}\n${op.property}\n${op.index}` : "";
        const text = render(op);
        // The comment line of an insert is its first line: dropped when the previous insert went to the same place.
        out.push(here !== "" && here === place ? text.slice(text.indexOf("\n") + 1) : text);
        place = here;
    }
    return out.join("\n");
}
