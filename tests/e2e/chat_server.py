"""A small deterministic OpenAI-compatible chat-completions server for the agent tests.

No local model can be installed from Debian 12 or npm packages here (node-llama-cpp ships
llama.cpp but no package ships a model file), so the model agent is tested against this process:
a real HTTP server on loopback speaking the same protocol (POST /v1/chat/completions with
messages and a json_schema response_format; the answer in choices[0].message.content, usage in
usage.total_tokens). It checks the request's shape and decides from the approval in the user
message:

- Parameters.Amount <= 100: approve, confidence 0.95
- Parameters.Amount <= 1000: approve, confidence 0.55 (below a typical threshold)
- otherwise: reject, confidence 0.9
- a Message containing "slow": answers after 5 s; "broken": HTTP 500; "garbage": non-JSON content

Every request is appended to REQUESTS (a JSON-lines file) with its Authorization header.

    python3 chat_server.py PORT REQUESTS
"""
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def decide(approval):
    amount = approval.get("Parameters", {}).get("Amount", 0)
    if isinstance(amount, list):
        amount = amount[0] if amount else 0
    amount = float(amount)
    if amount <= 100:
        return "approve", 0.95, f"Amount {amount:g} is within the automatic limit of 100."
    if amount <= 1000:
        return "approve", 0.55, f"Amount {amount:g} looks plausible but exceeds 100."
    return "reject", 0.9, f"Amount {amount:g} exceeds the policy's maximum of 1000."


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        req = json.loads(raw)
        with open(self.server.requests, "a") as f:
            f.write(json.dumps({"path": self.path, "authorization":
                                self.headers.get("Authorization"), "body": req}) + "\n")
        if self.path != "/v1/chat/completions":
            return self.answer(404, {"error": {"message": "not found"}})
        schema = req["response_format"]["json_schema"]["schema"]
        assert req["response_format"]["type"] == "json_schema"
        assert schema["required"] == ["decision", "confidence", "reason"]
        assert [m["role"] for m in req["messages"]] == ["system", "user"]
        approval = json.loads(req["messages"][1]["content"])
        message = approval.get("Message", "")
        if "slow" in message:
            time.sleep(5)
        if "broken" in message:
            return self.answer(500, {"error": {"message": "model crashed"}})
        decision, confidence, reason = decide(approval)
        content = json.dumps({"decision": decision, "confidence": confidence, "reason": reason})
        if "garbage" in message:
            content = "I think it is fine"
        self.answer(200, {
            "id": "chatcmpl-test", "object": "chat.completion", "created": int(time.time()),
            "model": req["model"],
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
        })


def main():
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    server.requests = sys.argv[2]
    server.serve_forever()


if __name__ == "__main__":
    main()
