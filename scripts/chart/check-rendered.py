"""Checks what the kgate chart renders beyond the Kubernetes schemas (scripts/chart-test.sh runs it with the
deploy venv's Python, which has PyYAML). Usage: check-rendered.py <value-set name> <rendered.yaml>
Each value set has its own expectations; every set gets the common ones (probes, drain, hardening)."""
import sys

import yaml

name, path = sys.argv[1], sys.argv[2]
docs = [d for d in yaml.safe_load_all(open(path, encoding="utf-8")) if d]
by_kind = {}
for d in docs:
    by_kind.setdefault(d["kind"], []).append(d)
problems = []


def need(cond, message):
    if not cond:
        problems.append(message)


def one(kind):
    items = by_kind.get(kind, [])
    need(len(items) == 1, f"expected one {kind}, got {len(items)}")
    return items[0] if items else {}


deployment = one("Deployment")
service = one("Service")
pod = deployment.get("spec", {}).get("template", {}).get("spec", {})
container = (pod.get("containers") or [{}])[0]
env = {e["name"]: e for e in container.get("env", [])}
env_value = lambda n: env.get(n, {}).get("value")

# Probes: readiness on /ready; liveness and start-up on a route that does not depend on Kafka.
need(container.get("readinessProbe", {}).get("httpGet", {}).get("path") == "/ready", "readiness probe is not /ready")
for probe in ("livenessProbe", "startupProbe"):
    path_ = container.get(probe, {}).get("httpGet", {}).get("path")
    need(path_ not in (None, "/ready", "/health"), f"{probe} is {path_}: /ready and /health depend on Kafka")

# Drain: the grace period covers the preStop pause and the whole SHUTDOWN_TIMEOUT_MS.
pre_stop = container.get("lifecycle", {}).get("preStop", {}).get("exec", {}).get("command", [])
need(pre_stop[:1] == ["sleep"], f"preStop is not a pause: {pre_stop}")
pause = int(pre_stop[1]) if len(pre_stop) > 1 else 0
shutdown_ms = int(env_value("SHUTDOWN_TIMEOUT_MS") or 30000)
grace = pod.get("terminationGracePeriodSeconds", 30)
need(grace >= pause + shutdown_ms / 1000, f"terminationGracePeriodSeconds {grace} < preStop {pause} s + SHUTDOWN_TIMEOUT_MS {shutdown_ms} ms")

# Hardening.
psc, csc = pod.get("securityContext", {}), container.get("securityContext", {})
need(psc.get("runAsNonRoot") is True and psc.get("runAsUser", 0) > 0, "pod does not run as a non-root uid")
need(csc.get("readOnlyRootFilesystem") is True, "root file system is writable")
need(csc.get("allowPrivilegeEscalation") is False, "privilege escalation allowed")
need(csc.get("capabilities", {}).get("drop") == ["ALL"], "capabilities are not all dropped")
need(psc.get("seccompProfile", {}).get("type") == "RuntimeDefault", "no RuntimeDefault seccomp profile")
need(any(c.get("topologyKey") == "kubernetes.io/hostname" for c in pod.get("topologySpreadConstraints", [])), "no spread across nodes")
need("requests" in container.get("resources", {}), "no resource requests (the HPA needs a CPU request)")
need(pod.get("automountServiceAccountToken") is False, "a service account token is mounted")
need(any(m.get("mountPath") == "/tmp" for m in container.get("volumeMounts", [])), "no writable /tmp")

# The Service reaches the container port by name, and the PDB exists.
need(service.get("spec", {}).get("ports", [{}])[0].get("targetPort") == "http", "Service targetPort is not the named port")
need(len(by_kind.get("PodDisruptionBudget", [])) == 1, "no PodDisruptionBudget")
# No secret value in the pod spec: credentials come as files.
for secret_var in ("KAFKA_SASL_PASSWORD", "KAFKA_SSL_KEY_PASSWORD", "WEBHOOK_SECRET"):
    need(env_value(secret_var) is None, f"{secret_var} is given as a plain value")

if name == "default":
    need("replicas" in deployment["spec"], "no replica count without autoscaling")
    need("HorizontalPodAutoscaler" not in by_kind and "ServiceMonitor" not in by_kind, "optional objects rendered by default")
    need(env_value("KAFKA_SECURITY_PROTOCOL") == "plaintext", "default security protocol is not plaintext")
elif name == "secured":
    hpa = one("HorizontalPodAutoscaler")
    need("replicas" not in deployment["spec"], "Deployment sets replicas while the HPA owns them")
    need(hpa.get("spec", {}).get("metrics", [{}])[0].get("resource", {}).get("name") == "cpu", "HPA is not on CPU")
    need(env_value("KAFKA_SECURITY_PROTOCOL") == "sasl_ssl", "security protocol is not sasl_ssl")
    for var in ("AUTH_KEYS_FILE", "KAFKA_SASL_USERNAME_FILE", "KAFKA_SASL_PASSWORD_FILE", "KAFKA_SSL_CA_LOCATION",
                "KAFKA_SSL_CERTIFICATE_LOCATION", "KAFKA_SSL_KEY_LOCATION", "KAFKA_SSL_KEY_PASSWORD_FILE"):
        need(str(env_value(var) or "").startswith("/etc/kgate/"), f"{var} is not a mounted file")
    need(env_value("BODY_LIMIT_BYTES") == "1048576", f"BODY_LIMIT_BYTES rendered as {env_value('BODY_LIMIT_BYTES')}")
    need(env_value("KAFKA_LINGER_MS") == "0.5", f"KAFKA_LINGER_MS rendered as {env_value('KAFKA_LINGER_MS')}")
    need("secretKeyRef" in env.get("WEBHOOK_SECRET", {}).get("valueFrom", {}), "WEBHOOK_SECRET is not from a Secret")
    need(grace >= pause + 45, f"grace {grace} does not follow SHUTDOWN_TIMEOUT_MS=45000")
    secrets = {s["metadata"]["name"] for s in by_kind.get("Secret", [])}
    need(not any("sasl" in s for s in secrets), "a SASL Secret was made although existingSecret names one")
    need(any(m.get("mountPath") == "/app/schemas/orders/1.0.0.json" for m in container.get("volumeMounts", [])), "schema not mounted")
    need(len(by_kind.get("ConfigMap", [])) == 1, "no schemas ConfigMap")
elif name == "monitoring":
    sm = one("ServiceMonitor")
    endpoint = sm.get("spec", {}).get("endpoints", [{}])[0]
    need(endpoint.get("port") == service["spec"]["ports"][0]["name"], "ServiceMonitor port is not the Service's port name")
    need(endpoint.get("path") == "/metrics", "ServiceMonitor path is not /metrics")
    need(sm["spec"]["selector"]["matchLabels"].items() <= service["metadata"]["labels"].items(), "ServiceMonitor selects no Service")
    need(endpoint.get("authorization", {}).get("credentials", {}).get("name") == "kgate-scrape-key", "no scrape key")
    dashboards = [c for c in by_kind.get("ConfigMap", []) if c["metadata"].get("labels", {}).get("grafana_dashboard") == "1"]
    need(len(dashboards) == 1 and len(dashboards[0]["data"]["kgate-dashboard.json"]) > 1000, "no Grafana dashboard ConfigMap")

if problems:
    print(f"chart: {name}: " + "; ".join(problems), file=sys.stderr)
    sys.exit(1)
print(f"chart: {name}: {len(docs)} objects, probes/drain/hardening checks pass")
