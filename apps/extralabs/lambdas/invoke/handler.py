"""Starts an EMR cluster that runs one Spark job and terminates when it is done.

Event (direct invocation, or the JSON body of an API Gateway proxy request):

    {
        "script": "jobs/etl.py",          # key in the scripts bucket
        "input": "uploads/1234/data.csv",  # key in the uploads bucket
        "args": ["--mode", "full"],        # optional, passed to the script
        "image_tag": "v3",                 # optional: run Spark in this ECR image
        "core_nodes": 2                    # optional, 1 to 10
    }

The script is called as `spark-submit s3://SCRIPTS/script --input s3://UPLOADS/input
--output s3://RESULTS/<cluster name>/ [args...]`.
"""

import json
import os
import re
import uuid

import boto3

EMR = boto3.client("emr")

# AmazonEMRServicePolicy_v2 only launches clusters that carry this tag.
EMR_MANAGED_TAG = {"Key": "for-use-with-amazon-emr-managed-policies", "Value": "true"}
KEY_PATTERN = re.compile(r"^[A-Za-z0-9!_.*'()/=-]+$")


class BadRequest(ValueError):
    """The event asks for something this function will not start."""


def _key(event, name, example):
    value = event.get(name)
    if not isinstance(value, str) or not value or not KEY_PATTERN.match(value) or ".." in value:
        raise BadRequest(f"`{name}` must be an S3 key such as `{example}`")
    return value


def _docker_configurations(image):
    """Spark on YARN in a Docker image from the app's ECR repository."""
    registry = image.split("/", 1)[0]
    env = {
        "YARN_CONTAINER_RUNTIME_TYPE": "docker",
        "YARN_CONTAINER_RUNTIME_DOCKER_IMAGE": image,
    }
    spark = {}
    for prefix in ("spark.executorEnv.", "spark.yarn.appMasterEnv."):
        spark.update({prefix + k: v for k, v in env.items()})
    return [
        {
            "Classification": "container-executor",
            "Configurations": [
                {
                    "Classification": "docker",
                    "Properties": {
                        "docker.trusted.registries": f"local,{registry}",
                        "docker.privileged-containers.registries": f"local,{registry}",
                    },
                }
            ],
        },
        {"Classification": "spark-defaults", "Properties": spark},
    ]


def job_flow(event, env):
    """The RunJobFlow request for one job."""
    script = _key(event, "script", "jobs/etl.py")
    source = _key(event, "input", "uploads/1234/data.csv")
    args = event.get("args", [])
    if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
        raise BadRequest("`args` must be a list of strings")
    core_nodes = event.get("core_nodes", 2)
    if not isinstance(core_nodes, int) or not 1 <= core_nodes <= 10:
        raise BadRequest("`core_nodes` must be an integer from 1 to 10")

    name = f"{env['PROJECT']}-job-{uuid.uuid4().hex[:12]}"
    step = [
        "spark-submit",
        "--deploy-mode",
        "cluster",
        f"s3://{env['SCRIPTS_BUCKET']}/{script}",
        "--input",
        f"s3://{env['INPUT_BUCKET']}/{source}",
        "--output",
        f"s3://{env['OUTPUT_BUCKET']}/{name}/",
        *args,
    ]
    request = {
        "Name": name,
        "ReleaseLabel": env["RELEASE_LABEL"],
        "Applications": [{"Name": "Spark"}],
        "ServiceRole": env["SERVICE_ROLE"],
        "JobFlowRole": env["JOB_FLOW_ROLE"],
        "LogUri": f"s3://{env['LOG_BUCKET']}/emr/",
        "Instances": {
            "Ec2SubnetId": env["SUBNET_ID"],
            "EmrManagedMasterSecurityGroup": env["PRIMARY_SECURITY_GROUP"],
            "EmrManagedSlaveSecurityGroup": env["CORE_SECURITY_GROUP"],
            "ServiceAccessSecurityGroup": env["SERVICE_ACCESS_SECURITY_GROUP"],
            "InstanceGroups": [
                {
                    "Name": "Primary",
                    "InstanceRole": "MASTER",
                    "Market": "ON_DEMAND",
                    "InstanceType": env["INSTANCE_TYPE"],
                    "InstanceCount": 1,
                },
                {
                    "Name": "Core",
                    "InstanceRole": "CORE",
                    "Market": "ON_DEMAND",
                    "InstanceType": env["INSTANCE_TYPE"],
                    "InstanceCount": core_nodes,
                },
            ],
            # One job per cluster: it terminates when the step ends, failed or not.
            "KeepJobFlowAliveWhenNoSteps": False,
            "TerminationProtected": False,
        },
        "Steps": [
            {
                "Name": "spark-job",
                "ActionOnFailure": "TERMINATE_CLUSTER",
                "HadoopJarStep": {"Jar": "command-runner.jar", "Args": step},
            }
        ],
        "Tags": [EMR_MANAGED_TAG, {"Key": "project", "Value": env["PROJECT"]}],
    }
    image_tag = event.get("image_tag")
    if image_tag is not None:
        if not isinstance(image_tag, str) or not re.match(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", image_tag):
            raise BadRequest("`image_tag` must be a Docker image tag")
        request["Configurations"] = _docker_configurations(f"{env['IMAGE_REPOSITORY']}:{image_tag}")
    return request


def _response(status, body):
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps(body),
    }


def handler(event, context):
    """Lambda entry point."""
    proxied = isinstance(event, dict) and "httpMethod" in event
    try:
        if proxied:
            event = json.loads(event.get("body") or "{}")
        if not isinstance(event, dict):
            raise BadRequest("the event must be a JSON object")
        request = job_flow(event, os.environ)
    except (BadRequest, json.JSONDecodeError) as error:
        if proxied:
            return _response(400, {"error": str(error)})
        raise
    cluster = EMR.run_job_flow(**request)
    result = {"cluster_id": cluster["JobFlowId"], "name": request["Name"]}
    return _response(200, result) if proxied else result
