// Offline validation of rendered manifests (bin/k8s-validate): every object against its schema
// (kubernetes-models for the built-in kinds; the published CRD schemas of CloudNativePG and the
// Prometheus Operator), then the platform's policy. Reads a multi-document YAML file (or stdin)
// and prints one line per violation, each tagged with its rule; exit status 1 when any.
//   kubectl kustomize k8s/overlays/prod | node k8s/validate/validate.mjs --label prod
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const args = process.argv.slice(2);
const label = args.includes("--label") ? args[args.indexOf("--label") + 1] : "manifests";
const file = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--label");
const text = readFileSync(file ?? 0, "utf8");
const objects = parseAllDocuments(text).map((d) => d.toJS()).filter((o) => o && o.kind);
const problems = [];
const problem = (rule, o, message) => problems.push(`${rule}: ${o.kind}/${o.metadata?.name}: ${message}`);

// ------------------------------------------------------------------ schemas
const modules = {
  "postgresql.cnpg.io/v1": "@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1",
  "monitoring.coreos.com/v1": "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1",
};
function moduleOf(apiVersion) {
  if (modules[apiVersion]) return modules[apiVersion];
  return apiVersion.includes("/") ? `kubernetes-models/${apiVersion}` : `kubernetes-models/${apiVersion}`;
}
for (const o of objects) {
  let Kind;
  try {
    Kind = (await import(moduleOf(o.apiVersion)))[o.kind];
  } catch (e) {
    Kind = undefined;
  }
  if (!Kind) {
    problem("schema", o, `no schema for ${o.apiVersion} ${o.kind}`);
    continue;
  }
  try {
    new Kind(o).validate();
  } catch (e) {
    problem("schema", o, e.message.split("\n")[0]);
  }
}

// ------------------------------------------------------------------ policy
const podSpecOf = (o) => {
  switch (o.kind) {
    case "Deployment": case "StatefulSet": case "DaemonSet": case "ReplicaSet": case "Job":
      return o.spec?.template?.spec;
    case "CronJob":
      return o.spec?.jobTemplate?.spec?.template?.spec;
    case "Pod":
      return o.spec;
    default:
      return undefined;
  }
};
const imageProblem = (image) => {
  if (!image) return "no image";
  const name = image.split("@")[0];
  if (image.includes("@sha256:")) return null;
  const tag = name.lastIndexOf(":") > name.lastIndexOf("/") ? name.slice(name.lastIndexOf(":") + 1) : null;
  if (!tag) return `image ${image} has no tag`;
  if (tag === "latest") return `image ${image} uses latest`;
  return null;
};
for (const o of objects) {
  const pod = podSpecOf(o);
  if (!pod) continue;
  if (pod.automountServiceAccountToken !== false) {
    problem("no-service-account-token", o, "automountServiceAccountToken is not false (no workload here talks to the Kubernetes API)");
  }
  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) problem("no-host-namespaces", o, "uses a host namespace");
  for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
    const sc = c.securityContext ?? {};
    const nonRoot = sc.runAsNonRoot ?? pod.securityContext?.runAsNonRoot;
    const user = sc.runAsUser ?? pod.securityContext?.runAsUser;
    if (nonRoot !== true || user === 0) problem("non-root", o, `container ${c.name} may run as root`);
    if (sc.readOnlyRootFilesystem !== true) problem("read-only-root", o, `container ${c.name} has a writable root filesystem`);
    if (sc.allowPrivilegeEscalation !== false) problem("no-privilege-escalation", o, `container ${c.name} allows privilege escalation`);
    if (sc.privileged) problem("no-privilege-escalation", o, `container ${c.name} is privileged`);
    const r = c.resources ?? {};
    for (const need of ["requests.cpu", "requests.memory", "limits.cpu", "limits.memory"]) {
      const [k, v] = need.split(".");
      if (!r[k]?.[v]) problem("resources", o, `container ${c.name} sets no ${need}`);
    }
    const bad = imageProblem(c.image);
    if (bad) problem("pinned-image", o, `container ${c.name}: ${bad}`);
  }
}
for (const o of objects.filter((x) => x.kind === "Cluster" && x.apiVersion.startsWith("postgresql.cnpg.io"))) {
  const bad = imageProblem(o.spec?.imageName);
  if (bad) problem("pinned-image", o, bad);
  if (!o.spec?.backup) problem("database-backups", o, "no backup configured");
}
// The HPA owns the replica count: its target must not declare one.
for (const hpa of objects.filter((x) => x.kind === "HorizontalPodAutoscaler")) {
  const ref = hpa.spec?.scaleTargetRef ?? {};
  const target = objects.find((x) => x.kind === ref.kind && x.metadata?.name === ref.name);
  if (!target) problem("hpa-target", hpa, `scales ${ref.kind}/${ref.name}, which is not rendered`);
  else if (target.spec?.replicas !== undefined) problem("hpa-target", target, "sets replicas although an HPA scales it");
}
// Secrets are created out of band, never rendered from the repository.
for (const s of objects.filter((x) => x.kind === "Secret")) problem("no-secrets", s, "a Secret in the manifests");
// Default deny, ingress and egress, for every pod of the namespace.
const namespaces = new Set(objects.map((x) => x.metadata?.namespace).filter(Boolean));
for (const ns of namespaces) {
  const denies = objects.some((x) => x.kind === "NetworkPolicy" && x.metadata?.namespace === ns
    && Object.keys(x.spec?.podSelector ?? {}).length === 0
    && (x.spec?.policyTypes ?? []).includes("Ingress") && (x.spec?.policyTypes ?? []).includes("Egress")
    && !x.spec?.ingress && !x.spec?.egress);
  if (!denies) problems.push(`default-deny: namespace ${ns} has no default-deny NetworkPolicy`);
}
// Public doors: TLS everywhere; the API's host routes only /api/, /dashboard/ and /verify/;
// nothing routes Keycloak's admin or any management port.
const MANAGEMENT_PORTS = new Set([9091, 9000, "management"]);
for (const ing of objects.filter((x) => x.kind === "Ingress")) {
  if (!(ing.spec?.tls ?? []).length) problem("ingress-tls", ing, "no TLS");
  for (const rule of ing.spec?.rules ?? []) {
    for (const p of rule.http?.paths ?? []) {
      const svc = p.backend?.service;
      if (svc?.name === "hongtong-api" && !["/api/", "/dashboard/", "/verify/"].includes(p.path)) {
        problem("ingress-paths", ing, `routes ${p.path} to the API`);
      }
      if (svc?.name === "keycloak" && !["/realms/", "/resources/"].includes(p.path)) {
        problem("ingress-paths", ing, `routes ${p.path} to Keycloak`);
      }
      const port = svc?.port?.name ?? svc?.port?.number;
      const service = objects.find((x) => x.kind === "Service" && x.metadata?.name === svc?.name);
      const sp = service?.spec?.ports?.find((q) => q.name === port || q.port === port);
      if (MANAGEMENT_PORTS.has(sp?.targetPort) || (svc?.name === "hongtong-api" && MANAGEMENT_PORTS.has(port))) {
        problem("ingress-paths", ing, `routes ${p.path} to a management port`);
      }
    }
  }
}
for (const s of objects.filter((x) => x.kind === "Service" && x.metadata?.name === "hongtong-api")) {
  for (const p of s.spec?.ports ?? []) {
    if (MANAGEMENT_PORTS.has(p.targetPort)) problem("management-private", s, "exposes the management port");
  }
}

for (const p of problems) console.log(`[k8s-validate] ${label}: ${p}`);
console.log(`[k8s-validate] ${label}: ${objects.length} objects, ${problems.length} problems`);
process.exit(problems.length ? 1 : 0);
