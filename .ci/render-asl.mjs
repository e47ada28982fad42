// Prints the state machine definition of a synthesized template with its DefinitionSubstitutions
// applied the way CloudFormation applies them at deploy time, each CloudFormation intrinsic
// (Ref, Fn::GetAtt, Fn::Join, pseudo parameters) replaced by a value of the shape it resolves to
// (an alias ARN, a table name, ...). Fails if the template has not exactly one state machine, or if
// a ${Name} is left that no substitution fills (Step Functions would keep it as literal text).
// Usage: node .ci/render-asl.mjs <template.json>
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

const [templatePath] = process.argv.slice(2);
if (!templatePath) {
  console.error("usage: node .ci/render-asl.mjs <template.json>");
  process.exit(2);
}
const template = JSON.parse(readFileSync(templatePath, "utf8"));
const resources = template.Resources ?? {};
const machines = Object.entries(resources).filter(([, r]) => r.Type === "AWS::StepFunctions::StateMachine");
if (machines.length !== 1) {
  console.error(`render-asl: expected one AWS::StepFunctions::StateMachine in ${templatePath}, found ${machines.length}`);
  process.exit(1);
}
const [machineId, machine] = machines[0];

const REGION = "us-east-1";
const ACCOUNT = "123456789012";
const PSEUDO = {
  "AWS::Region": REGION, "AWS::AccountId": ACCOUNT, "AWS::Partition": "aws",
  "AWS::URLSuffix": "amazonaws.com", "AWS::StackName": "Wsfanout",
};

// What Ref gives for each resource type the definition can name.
function ref(id) {
  if (id in PSEUDO) return PSEUDO[id];
  const r = resources[id];
  if (!r) throw new Error(`Ref to ${id}, which the template does not declare`);
  switch (r.Type) {
    case "AWS::Lambda::Alias": return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${id}:live`;
    case "AWS::Lambda::Function": return `Wsfanout-${id}`;
    case "AWS::DynamoDB::Table": return `Wsfanout-${id}-ABCDEFGHIJKL`;
    case "AWS::SQS::Queue": return `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${id}`;
    default: return id;
  }
}

function getAtt(id, attribute) {
  const r = resources[id];
  if (!r) throw new Error(`Fn::GetAtt on ${id}, which the template does not declare`);
  if (attribute === "Arn") {
    switch (r.Type) {
      case "AWS::Lambda::Function": return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:Wsfanout-${id}`;
      case "AWS::DynamoDB::Table": return `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/Wsfanout-${id}-ABCDEFGHIJKL`;
      case "AWS::SQS::Queue": return `arn:aws:sqs:${REGION}:${ACCOUNT}:${id}`;
      default: return `arn:aws:${id}`;
    }
  }
  return `${id}.${attribute}`;
}

function resolve(value) {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return String(value);
  if (value && typeof value === "object") {
    if ("Ref" in value) return ref(value.Ref);
    if ("Fn::GetAtt" in value) {
      const a = value["Fn::GetAtt"];
      return Array.isArray(a) ? getAtt(a[0], a[1]) : getAtt(...a.split("."));
    }
    if ("Fn::Join" in value) {
      const [sep, parts] = value["Fn::Join"];
      return parts.map(resolve).join(sep);
    }
  }
  throw new Error(`cannot resolve ${JSON.stringify(value)}`);
}

// DefinitionBody.fromFile makes the definition an S3 asset: the staged copy sits beside the
// template, found through the assets manifest by its object key.
function definitionText(properties) {
  if (properties.DefinitionString !== undefined) return resolve(properties.DefinitionString);
  const location = properties.DefinitionS3Location;
  if (!location) throw new Error(`${machineId} has neither DefinitionString nor DefinitionS3Location`);
  const dir = dirname(templatePath);
  const stack = templatePath.split("/").pop().replace(/\.template\.json$/, "");
  const assets = JSON.parse(readFileSync(join(dir, `${stack}.assets.json`), "utf8")).files ?? {};
  for (const asset of Object.values(assets)) {
    if (Object.values(asset.destinations ?? {}).some(d => d.objectKey === location.Key)) {
      return readFileSync(join(dir, asset.source.path), "utf8");
    }
  }
  throw new Error(`no asset with object key ${location.Key} in ${stack}.assets.json`);
}

let definition = definitionText(machine.Properties);
const substitutions = machine.Properties.DefinitionSubstitutions ?? {};
for (const [name, value] of Object.entries(substitutions)) {
  definition = definition.split("${" + name + "}").join(resolve(value));
}
const left = [...new Set([...definition.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map(m => m[1]))];
if (left.length > 0) {
  console.error(`render-asl: ${machineId}'s definition still has \${${left.join("}, ${")}} after its `
      + `DefinitionSubstitutions (${Object.keys(substitutions).join(", ")}); Step Functions would keep them as text`);
  process.exit(1);
}
JSON.parse(definition); // a substitution that broke the JSON fails here, before the validator
process.stdout.write(definition);
