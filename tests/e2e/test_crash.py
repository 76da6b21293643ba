"""kill -9 in the middle of 1,000 executions: after a restart every execution ends with the right
output and its history has every event exactly once."""
import json
import threading
from concurrent.futures import ThreadPoolExecutor

from conftest import boto3_client
from sfn_util import CHILD, ROLE, approval_machine, full_history, wait_for

CALLBACKS, WAITERS, MAPPERS = 400, 300, 300

WAITER = {"StartAt": "Nap", "States": {
    "Nap": {"Type": "Wait", "Seconds": 3, "Next": "Done"},
    "Done": {"Type": "Pass", "End": True}}}

MAPPER = {"StartAt": "Each", "States": {"Each": {
    "Type": "Map", "ItemsPath": "$.items", "End": True,
    "ItemProcessor": {"StartAt": "Nap", "States": {
        "Nap": {"Type": "Wait", "Seconds": 2, "Next": "Double"},
        "Double": {"Type": "Pass", "Parameters": {"n.$": "$.n", "twice.$": "States.MathAdd($.n, $.n)"},
                   "End": True}}}}}}


def in_parallel(fn, items, workers=16):
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(fn, items))


def test_kill9_mid_flight(server):
    sfn = boto3_client(server, "stepfunctions")
    child = sfn.create_state_machine(name="child", definition=json.dumps(CHILD),
                                     roleArn=ROLE)["stateMachineArn"]
    machines = {
        "cb": sfn.create_state_machine(name="cb", definition=json.dumps(approval_machine(child)),
                                       roleArn=ROLE)["stateMachineArn"],
        "wait": sfn.create_state_machine(name="wait", definition=json.dumps(WAITER),
                                         roleArn=ROLE)["stateMachineArn"],
        "map": sfn.create_state_machine(name="map", definition=json.dumps(MAPPER),
                                        roleArn=ROLE)["stateMachineArn"],
    }
    local = threading.local()

    def client():
        if not hasattr(local, "c"):
            local.c = boto3_client(server, "stepfunctions")
        return local.c

    jobs = [("cb", i) for i in range(CALLBACKS)] + [("wait", i) for i in range(WAITERS)] + \
           [("map", i) for i in range(MAPPERS)]

    def start(job):
        kind, i = job
        inp = {"request": {"id": f"r{i}"}} if kind == "cb" else \
              {"items": [{"n": i + k} for k in range(5)]} if kind == "map" else {"i": i}
        arn = client().start_execution(stateMachineArn=machines[kind], name=f"{kind}-{i}",
                                       input=json.dumps(inp))["executionArn"]
        return kind, i, arn, inp

    started = in_parallel(start, jobs)

    def tokens():
        found = {}
        for page in sfn.get_paginator("list_executions").paginate(stateMachineArn=child):
            for e in page["executions"]:
                d = sfn.describe_execution(executionArn=e["executionArn"])
                inp = json.loads(d["input"])
                found[inp["request"]["id"]] = inp["token"]
        return found if len(found) == CALLBACKS else None

    token_of = wait_for(tokens, timeout=120, what="every child to carry its token")

    # Approve a first batch, and kill the server while those calls are in flight.
    acked = set()
    lock = threading.Lock()

    def approve(i):
        try:
            client().send_task_success(taskToken=token_of[f"r{i}"],
                                       output=json.dumps({"approved": True, "i": i}))
            with lock:
                acked.add(i)
        except Exception:  # the connection dies with the server: resent after the restart
            pass

    sender = threading.Thread(target=lambda: in_parallel(approve, range(0, 200), workers=8))
    sender.start()
    wait_for(lambda: len(acked) >= 50, timeout=60, interval=0.001, what="some approvals")
    server.kill9()
    sender.join()
    server.start()
    local.__dict__.clear()
    sfn = boto3_client(server, "stepfunctions")

    def approve_rest(i):
        if i in acked:
            return
        try:
            client().send_task_success(taskToken=token_of[f"r{i}"],
                                       output=json.dumps({"approved": True, "i": i}))
        except sfn.exceptions.TaskTimedOut:
            pass  # its first send committed just before the kill

    in_parallel(approve_rest, range(CALLBACKS))

    def check(entry):
        kind, i, arn, inp = entry
        c = client()
        d = wait_for(lambda: (lambda x: x if x["status"] != "RUNNING" else None)(
            c.describe_execution(executionArn=arn)), timeout=60, what=arn)
        assert d["status"] == "SUCCEEDED", (arn, d)
        out = json.loads(d["output"])
        if kind == "cb":
            assert out == {"request": inp["request"], "decision": {"approved": True, "i": i}}
        elif kind == "wait":
            assert out == inp
        else:
            assert out == [{"n": x["n"], "twice": 2 * x["n"]} for x in inp["items"]]
        events = full_history(c, arn)
        ids = [e["id"] for e in events]
        assert ids == list(range(1, len(ids) + 1)), arn
        types = [e["type"] for e in events]
        assert types.count("ExecutionStarted") == 1 and types[-1] == "ExecutionSucceeded"
        assert types.count("ExecutionSucceeded") == 1
        return len(events)

    counts = in_parallel(check, started)
    assert len(counts) == CALLBACKS + WAITERS + MAPPERS
