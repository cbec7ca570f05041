"""ecs-sim serve driven by unmodified AWS clients: boto3 and the AWS CLI v1 (pinned in
scripts/setup.sh). Every JSON response is validated against botocore's own output shape.

usage: target/pyenv/bin/python server/tests/aws_clients.py PATH/TO/ecs-sim (or ecs-sim-serve)
"""
import json, os, subprocess, sys, urllib.request

import boto3

ENV = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION="us-east-1")
os.environ.update({k: ENV[k] for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION")})
checked = {"responses": 0}


def validate(shape, value, path=""):
    """botocore's output shape against the JSON the server sent: members, required, types, enums."""
    errs = []
    t = shape.type_name
    if t == "structure":
        if not isinstance(value, dict):
            return [f"{path}: expected an object"]
        for k, v in value.items():
            if k not in shape.members:
                errs.append(f"{path}.{k}: unknown member of {shape.name}")
            else:
                errs += validate(shape.members[k], v, f"{path}.{k}")
        for r in shape.required_members:
            if r not in value:
                errs.append(f"{path}: missing required {r}")
    elif t == "list":
        if not isinstance(value, list):
            return [f"{path}: expected a list"]
        for i, v in enumerate(value):
            errs += validate(shape.member, v, f"{path}[{i}]")
    elif t == "map":
        if not isinstance(value, dict):
            return [f"{path}: expected a map"]
    elif t == "string":
        if not isinstance(value, str):
            errs.append(f"{path}: expected a string, got {value!r}")
        elif shape.enum and value not in shape.enum:
            errs.append(f"{path}: {value!r} not in enum {shape.name}")
    elif t in ("integer", "long"):
        if not isinstance(value, int) or isinstance(value, bool):
            errs.append(f"{path}: expected an integer, got {value!r}")
    elif t in ("float", "double"):
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            errs.append(f"{path}: expected a number")
    elif t == "boolean":
        if not isinstance(value, bool):
            errs.append(f"{path}: expected a boolean")
    elif t == "timestamp":
        if not isinstance(value, (int, float, str)):
            errs.append(f"{path}: expected a timestamp")
    return errs


def check_response(http_response, model, **_):
    if model.metadata.get("protocol") != "json" or http_response.status_code != 200:
        return
    body = json.loads(http_response.content or b"{}")
    errs = validate(model.output_shape, body) if model.output_shape else []
    assert not errs, f"{model.name}: " + "; ".join(errs)
    checked["responses"] += 1


def main():
    exe = sys.argv[1]
    cmd = [exe] if os.path.basename(exe).startswith("ecs-sim-serve") else [exe, "serve"]
    srv = subprocess.Popen(cmd + ["--port", "0", "--speed", "1"], stdout=subprocess.PIPE, text=True)
    try:
        line = srv.stdout.readline()
        assert "listening on http://127.0.0.1:" in line, line
        endpoint = line.split("listening on ")[1].strip()
        run(endpoint)
    finally:
        srv.terminate()
        srv.wait()


def playground(endpoint, verb, body):
    req = urllib.request.Request(endpoint, data=json.dumps(body).encode(), method="POST",
                                 headers={"X-Amz-Target": f"EcsPlayground.{verb}", "Content-Type": "application/x-amz-json-1.1"})
    return json.loads(urllib.request.urlopen(req).read())


def aws(endpoint, *args):
    out = subprocess.run([os.path.join(os.path.dirname(sys.executable), "aws"), "--endpoint-url", endpoint, "--output", "json", *args],
                         env=ENV, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout) if out.stdout.strip() else {}


def td(image):
    return {"family": "web", "networkMode": "bridge", "requiresCompatibilities": ["EC2"],
            "containerDefinitions": [{"name": "web", "image": image, "cpu": 256, "memory": 512, "essential": True,
                                      "portMappings": [{"containerPort": 80, "hostPort": 0, "protocol": "tcp"}]}]}


def run(endpoint):
    session = boto3.session.Session()
    clients = {n: session.client(n, endpoint_url=endpoint) for n in ("ecs", "elbv2", "application-autoscaling")}
    for c in clients.values():
        c.meta.events.register("after-call", check_response)
    ecs, elbv2, aas = clients["ecs"], clients["elbv2"], clients["application-autoscaling"]
    playground(endpoint, "Pause", {})

    # 1. Register, and a service behind the target group.
    assert ecs.register_task_definition(**td("nginx:1.27"))["taskDefinition"]["revision"] == 1
    tg_arn = elbv2.describe_target_groups(Names=["web-tg"])["TargetGroups"][0]["TargetGroupArn"]
    ecs.create_service(serviceName="web", taskDefinition="web", desiredCount=3, launchType="EC2",
                       loadBalancers=[{"targetGroupArn": tg_arn, "containerName": "web", "containerPort": 80}])
    playground(endpoint, "AdvanceClock", {"seconds": 120})

    # 2. Tasks RUNNING, dynamic host ports registered in the target group, healthy.
    svc = ecs.describe_services(services=["web"])["services"][0]
    assert svc["runningCount"] == 3, svc
    health = elbv2.describe_target_health(TargetGroupArn=tg_arn)["TargetHealthDescriptions"]
    ports = sorted(h["Target"]["Port"] for h in health)
    assert len(ports) == 3 and all(32768 <= p <= 65535 for p in ports), ports
    assert all(h["TargetHealth"]["State"] == "healthy" for h in health), health
    arns = ecs.list_tasks(serviceName="web")["taskArns"]
    tasks = ecs.describe_tasks(tasks=arns)["tasks"]
    bound = sorted(b["hostPort"] for t in tasks for c in t["containers"] for b in c["networkBindings"])
    assert bound == ports, (bound, ports)
    print(f"ok: 3 tasks RUNNING, host ports {ports} registered and healthy in web-tg")

    # 3. The AWS CLI: revision 2 and update-service; the rollout keeps minimumHealthyPercent 100
    #    and maximumPercent 200 (at most 6 tasks, never fewer than 3 RUNNING).
    with open("target/web-2.json", "w") as f:
        json.dump(td("nginx:1.28"), f)
    out = aws(endpoint, "ecs", "register-task-definition", "--cli-input-json", "file://target/web-2.json")
    assert out["taskDefinition"]["revision"] == 2, out
    out = aws(endpoint, "ecs", "update-service", "--service", "web", "--task-definition", "web:2")
    assert out["service"]["taskDefinition"].endswith("web:2"), out
    most, fewest_running, mixed = 0, 99, False
    for _ in range(40):
        playground(endpoint, "AdvanceClock", {"seconds": 5})
        arns = ecs.list_tasks(serviceName="web")["taskArns"]
        tasks = ecs.describe_tasks(tasks=arns)["tasks"] if arns else []
        most = max(most, len(tasks))
        fewest_running = min(fewest_running, sum(t["lastStatus"] == "RUNNING" for t in tasks))
        mixed |= len({t["taskDefinitionArn"] for t in tasks}) == 2
    assert most <= 6 and fewest_running >= 3 and mixed, (most, fewest_running, mixed)
    svc = aws(endpoint, "ecs", "describe-services", "--services", "web")["services"][0]
    assert [d["rolloutState"] for d in svc["deployments"]] == ["COMPLETED"], svc["deployments"]
    print(f"ok: rolling update within 100%/200%: at most {most} tasks, never fewer than {fewest_running} RUNNING")

    # 4. Target tracking on CPU: the service scales out.
    aas.register_scalable_target(ServiceNamespace="ecs", ResourceId="service/default/web",
                                 ScalableDimension="ecs:service:DesiredCount", MinCapacity=3, MaxCapacity=8)
    aas.put_scaling_policy(PolicyName="cpu10", ServiceNamespace="ecs", ResourceId="service/default/web",
                           ScalableDimension="ecs:service:DesiredCount", PolicyType="TargetTrackingScaling",
                           TargetTrackingScalingPolicyConfiguration={"TargetValue": 10.0, "PredefinedMetricSpecification": {
                               "PredefinedMetricType": "ECSServiceAverageCPUUtilization"}})
    assert aas.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"][0]["MaxCapacity"] == 8
    assert aas.describe_scaling_policies(ServiceNamespace="ecs")["ScalingPolicies"][0]["PolicyName"] == "cpu10"
    playground(endpoint, "AdvanceClock", {"seconds": 600})
    desired = ecs.describe_services(services=["web"])["services"][0]["desiredCount"]
    acts = aas.describe_scaling_activities(ServiceNamespace="ecs", ResourceId="service/default/web")["ScalingActivities"]
    assert desired > 3 and acts, (desired, acts)
    print(f"ok: target tracking scaled web from 3 to {desired} tasks ({len(acts)} scaling activities)")

    # 5. Errors in AWS's shape through the SDK.
    try:
        ecs.update_service(service="nope", desiredCount=1)
        raise AssertionError("expected ServiceNotFoundException")
    except ecs.exceptions.ServiceNotFoundException:
        pass
    print(f"ok: {checked['responses']} JSON responses validated against botocore {boto3.__version__}'s output shapes")


if __name__ == "__main__":
    main()
